"""What a reader sees: the forecast and backtest reports, charts, words in Vietnamese and English,
and the papermill runner.
"""
