"""The interactive TalentQL REPL (``talentql`` or ``talentql repl``).

Modules, one job each:
  settings   the [repl] table of the config file
  meta       the table of backslash commands
  context    what the text before the cursor asks for (pure, no prompt_toolkit)
  completer  prompt_toolkit completer built on ``context`` and the field table
  live       diagnostics while typing: a background checker and the error-span lexer
  scope      lets defined in the session, and compiling/checking with them in scope
  render     pages through the project's table and encoders; the full profile for \\show
  commands   backslash commands, let and import lines (a mixin of the app)
  app        the prompt session, toolbar, running and paging, Ctrl-C

Importing this package is cheap; prompt_toolkit is imported by ``completer``, ``live`` and ``app``.
"""
