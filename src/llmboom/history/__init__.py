"""Time and claims: the dataset as of a date (snapshots, the truthy view) and the timeline of
events.
"""
