"""Customer profiles and their identities per platform."""
