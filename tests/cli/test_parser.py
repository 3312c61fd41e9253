"""The parser and ``main``: --version, fast help, the constants it copies, Ctrl-C."""

import inspect
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import sklearn_embed
from sklearn_embed.cli import _commands, _defaults, build_parser, main

CLI_FOLDER = Path(sklearn_embed.__file__).parent / "cli"


def run_cli(*argv, code=None):
    """Run ``python -m sklearn_embed argv`` (or ``python -c code``) in a fresh process."""
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "sklearn_embed"]
    return subprocess.run([*command, *argv], capture_output=True, text=True, timeout=120)


def test_version(capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["--version"])
    assert excinfo.value.code == 0
    assert capsys.readouterr().out == f"sklearn-embed {sklearn_embed.__version__}\n"


def test_version_and_help_from_the_command_line():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"sklearn-embed {sklearn_embed.__version__}"
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("demo", "download", "fit", "evaluate", "predict"):
        assert re.search(rf"^    {command} +\S", result.stdout, re.MULTILINE), command


def test_the_parser_imports_no_heavy_library():
    # The package's own __init__ is stubbed out: this checks what the command
    # line adds to the start-up of --help, whatever the package imports.
    code = textwrap.dedent(f"""
        import sys, types
        package = types.ModuleType("sklearn_embed")
        package.__path__ = [{str(CLI_FOLDER.parent)!r}]
        package.__version__ = "0.0"
        sys.modules["sklearn_embed"] = package
        from sklearn_embed.cli import build_parser
        parser = build_parser()
        parser.format_help()
        for subparser in parser._subparsers._group_actions[0].choices.values():
            subparser.format_help()
        parser.parse_args(["fit", "x.csv", "--head", "cnn", "--lr", "0.01"])
        heavy = {{"numpy", "pandas", "sklearn", "torch", "skorch", "matplotlib"}}
        print(sorted(heavy & {{name.split(".")[0] for name in sys.modules}}))
    """)
    result = run_cli(code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"


def test_the_parsers_constants_equal_their_owners():
    from sklearn_embed.datasets import available_datasets
    from sklearn_embed.datasets._registry import DATASETS
    from sklearn_embed.persistence import SUFFIX

    assert _defaults.DATASETS == available_datasets()
    assert _defaults.SUFFIX == SUFFIX
    downloadable = tuple(name for name, (loader, _, _) in DATASETS.items()
                         if "download" in inspect.signature(loader).parameters)
    assert _defaults.DOWNLOADABLE == downloadable


def test_every_command_has_a_function():
    commands = build_parser()._subparsers._group_actions[0].choices
    assert set(commands) == {"demo", "download", "fit", "evaluate", "predict", "coverage"}
    for name in commands:
        assert callable(getattr(_commands, name))


# -- Ctrl-C -------------------------------------------------------------------

@pytest.mark.parametrize("command, argv", [
    ("fit", ["fit", "x.csv"]),
    ("predict", ["predict", "m.sklembed", "x.csv", "--out", "p.csv"]),
    ("demo", ["demo"]),
])
def test_ctrl_c_exits_quietly_with_status_130(command, argv, monkeypatch, capsys):
    def interrupted(args):
        print("working", flush=True)
        raise KeyboardInterrupt

    monkeypatch.setattr(_commands, command, interrupted)
    assert main(argv) == 130
    captured = capsys.readouterr()
    assert captured.err == f"sklearn-embed {command}: interrupted\n"
    assert captured.out == "working\n"


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals only")
def test_a_real_sigint_exits_with_status_130():
    # The signal itself, as Ctrl-C sends it, in the middle of a command.
    code = textwrap.dedent("""
        import os, signal, sys, time
        from sklearn_embed.cli import _commands, main
        def fit(args):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(60)  # interrupted long before
        _commands.fit = fit
        sys.exit(main(sys.argv[1:]))
    """)
    result = run_cli("fit", "x.csv", code=code)
    assert result.returncode == 130
    assert result.stderr == "sklearn-embed fit: interrupted\n"
