"""Whether the probabilities come true as often as they say: synthetic districts with known truth
and the suite that scores ktt's calls on them.
"""
