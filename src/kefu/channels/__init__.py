"""Channel adapters: one per channel behind the ``ChannelAdapter`` Protocol."""
