"""The ``openscope`` command line: one module per subcommand, a thin layer over the library."""
