from finsam.cli import cli

cli(prog_name="finsam")
