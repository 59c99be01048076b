"""TQL syntax: the parser (text → AST), the AST, the canonical formatter, the highlighter."""
