"""The worker loop, the handler map and the schedule over the jobs table."""
