"""The coworking-spaces services: sites and units, space requests and offers, optimiser runs,
allocations."""
