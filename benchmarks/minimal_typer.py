"""The yardstick of SPEC §7: the smallest useful Typer app with two commands."""

import typer

app = typer.Typer()


@app.command()
def hello(name: str) -> None:
    """Say hello."""


@app.command()
def bye(name: str) -> None:
    """Say goodbye."""


if __name__ == "__main__":
    app()
