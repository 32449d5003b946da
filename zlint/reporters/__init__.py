"""One module per output format; each turns a CheckResult into the text users read."""
