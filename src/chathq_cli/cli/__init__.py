"""The frame every command runs in: the entry point's error boundary, the root app, the command
decorator and its Runtime, the Environment of one invocation, and the hints table.

Nothing here imports `chathq_cli.commands` except the root app, which assembles the groups.
"""
