"""From fitted models to answers: the backtest that chooses or mixes models, every target's
probability and pace, the official progress classes.
"""
