"""Exercise definitions: data generators, pipeline templates, public tests and fault catalogues.

The registry lives in ``exercises.registry``; importing this package alone loads none of
the exercises (nor pandas), so commands that do not need them start fast.
"""
