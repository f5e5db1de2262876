"""An autograder for the five numpy assignments of *Improving Deep Neural Networks*.

Data flows one way: ``submission`` (load) -> ``sandbox`` (run student code) ->
``checks`` (pytest, in this process) -> ``results`` -> ``report`` / ``gradebook``.
"""

__version__ = "0.1.0"
