"""The live checker's files (the stage after source/): the checker's wheel, Pyodide's runtime files and lock,
and the trimmed standard library the worker loads.
"""
