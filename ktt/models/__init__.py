"""How an indicator moves: count, share and stock models behind one fit/simulate interface, fitted
to one indicator of a unit.
"""
