"""Pure parsing and validation of what people type or hand over: names, e-mail addresses,
durations, dates, KEY=VALUE pairs, images, passwords.

No Typer, no HTTP, no printing: each function takes a value and the parameter it came from
and returns the parsed value or raises `errors.UsageError` naming that parameter.
"""
