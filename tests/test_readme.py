"""The README is the newcomer's entry point: its demo logins must be the ones the demo creates."""

from pathlib import Path

from demo import DEMO_PASSWORD, demo_logins

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_readme_starts_with_the_two_commands():
    head = README[: README.index("### Demo logins")]
    assert "make run" in head and "make test" in head


def test_every_demo_login_and_the_password_are_in_the_readme():
    missing = [email for email, _, _ in demo_logins() if email not in README]
    assert missing == []
    assert f"`{DEMO_PASSWORD}`" in README
    assert all(name in README for _, _, name in demo_logins())


def test_the_readme_points_to_the_architecture_map_inside_the_repository():
    assert "../shared" not in README and "docs/architecture.md" in README
    root = Path(__file__).parent.parent
    tree = (root / "docs" / "architecture.md").read_text().split("```")[1]
    folders = [line.split()[0] for line in tree.splitlines() if line[:1].isalpha()]
    assert "queries/" in folders and [f for f in folders if not (root / f).exists()] == []
