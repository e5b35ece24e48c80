"""llmboom test suite."""
