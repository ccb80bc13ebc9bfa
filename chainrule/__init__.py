"""chainrule: the application built on the ``nn`` and ``autograd`` libraries.

* :mod:`chainrule.cli`: the ``chainrule`` command (``python -m chainrule``),
  one module per subcommand in :mod:`chainrule.commands`;
* :mod:`chainrule.recipe`: the training job behind ``chainrule train``
  (:mod:`chainrule.train_settings` its settings, :mod:`chainrule.run_folder`
  the folder it writes, :mod:`chainrule.plots` its pictures);
* :mod:`chainrule.lecture`: the worked example of ``chainrule demo``;
* :mod:`chainrule.worksheet`: backpropagation worksheets and their checker.

Imports run one way: ``chainrule`` -> ``nn`` -> ``autograd``. Importing this
package imports nothing else.
"""
