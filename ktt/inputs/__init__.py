"""What goes in: indicator codes, observations (load, validate, derive), units and the 2025
reform, plans and their readings, scenarios, the blank form, synthetic and example records.
"""
