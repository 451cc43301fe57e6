"""What a department copies must be safe as it stands, and students get no answers with the course.

Items 1-3 and 5 of the 0.3 security work: the Zero to JupyterHub configuration requires a login and
serves HTTPS; the Littlest JupyterHub commands claim the admin account with a password, turn HTTPS
on and install a pinned version; the student tree holds no solution; a forged click on the body map
raises nothing. Item 4 is in test_nbgrader.py, item 6 and item 5's page-level test in
test_offline.py.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
Z2JH = ROOT / "docs" / "deploy" / "z2jh-config.yaml"
NOT_A_LOGIN = {None, "", "dummy", "null", "jupyterhub.auth.DummyAuthenticator", "nullauthenticator"}


# --- item 1: Zero to JupyterHub ---------------------------------------------------------------
def z2jh() -> dict:
    return yaml.safe_load(Z2JH.read_text(encoding="utf-8"))


def test_item_1_the_z2jh_configuration_requires_a_real_login():
    hub = z2jh()["hub"]["config"]
    authenticator = hub["JupyterHub"]["authenticator_class"]
    assert authenticator not in NOT_A_LOGIN
    assert "dummy" not in Z2JH.read_text(encoding="utf-8").lower()
    # Who may log in is decided, not left to "anyone the identity provider knows".
    assert hub["Authenticator"]["allow_all"] is False
    limits = [
        section.get(key)
        for section in hub.values()
        for key in ("allowed_users", "allowed_groups", "allowed_organizations")
    ]
    assert any(limits)
    assert hub["JupyterHub"].get("admin_access") is False
    oauth = hub["GenericOAuthenticator"]
    if oauth.get("allowed_groups"):
        assert oauth["manage_groups"] is True  # OAuthenticator ignores groups without it


def test_item_1_the_z2jh_configuration_serves_https_with_lets_encrypt():
    https = z2jh()["proxy"]["https"]
    assert https["enabled"] is True
    assert https["hosts"] and all("." in host for host in https["hosts"])
    assert "@" in https["letsencrypt"]["contactEmail"]


def test_item_1_the_oauth_callback_is_on_the_https_host():
    config = z2jh()
    host = config["proxy"]["https"]["hosts"][0]
    oauth = config["hub"]["config"]["GenericOAuthenticator"]
    assert oauth["oauth_callback_url"] == f"https://{host}/hub/oauth_callback"
    assert "client_secret" not in oauth  # kept in a values file outside the repository


def test_item_1_deploy_md_uses_the_checked_file_and_warns_where_it_is_copied():
    assert "docs/deploy/z2jh-config.yaml" in DEPLOY or "deploy/z2jh-config.yaml" in DEPLOY
    assert "never deploy without" in Z2JH.read_text(encoding="utf-8").lower()
    assert "never deploy without" in " ".join(DEPLOY.lower().split())
    # No other Helm configuration block in the guide that could be copied instead.
    yaml_blocks = re.findall(r"```yaml\n(.*?)```", DEPLOY, flags=re.S)
    assert not [b for b in yaml_blocks if "singleuser" in b or "proxy:" in b]


# --- item 2: The Littlest JupyterHub -----------------------------------------------------------
def shell_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def tljh_commands() -> list[str]:
    lines = [line.strip() for block in shell_blocks(DEPLOY) for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def test_item_2_the_tljh_admin_is_claimed_with_a_password():
    bootstraps = [c for c in tljh_commands() if "bootstrap.py" in c]
    assert len(bootstraps) == 1
    admins = re.findall(r"--admin\s+(\S+)", bootstraps[0])
    assert admins and all(re.fullmatch(r"[^:\s]+:\S+", a) for a in admins), admins
    # No command anywhere in the guide claims an admin without a password.
    bare = [c for c in tljh_commands() if re.search(r"--admin\s+[^:\s]+(\s|$)", c)]
    assert not bare


def test_item_2_https_is_on_before_the_course_link_is_given_out():
    commands = tljh_commands()
    https = [i for i, c in enumerate(commands) if "https.enabled true" in c]
    assert https
    assert any("https.letsencrypt.email" in c for c in commands)
    assert any("https.letsencrypt.domains" in c for c in commands)
    reloads = [i for i, c in enumerate(commands) if "tljh-config reload" in c]
    assert reloads and reloads[0] > https[0]  # the first reload already serves HTTPS
    assert DEPLOY.index("https.enabled true") < DEPLOY.index("git-pull?")


def test_item_2_the_course_environment_is_a_pinned_version():
    installs = [c for c in tljh_commands() if "pip install" in c and "git+" in c]
    assert installs
    for command in installs:
        ref = re.search(r"git\+\S+?@([\w.\-]+)", command)
        assert ref, command
        assert ref.group(1) not in {"main", "master", "HEAD", "student"}
        assert re.fullmatch(r"v\d+(\.\d+)+|[0-9a-f]{40}", ref.group(1)), ref.group(1)


# --- item 3: what students pull ----------------------------------------------------------------
@pytest.fixture(scope="module")
def student_tree(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import student_tree
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return student_tree.build(tmp_path_factory.mktemp("student") / "kneesci")


def test_item_3_student_tree_holds_no_solution(student_tree):
    texts = {
        p: p.read_text(encoding="utf-8")
        for p in student_tree.rglob("*")
        if p.is_file() and p.suffix in {".ipynb", ".py", ".md", ".yaml", ".csv", ".json", ".j2"}
    }
    assert len(texts) > 50
    assert not [p for p, t in texts.items() if "BEGIN SOLUTION" in t]
    assert not [p for p, t in texts.items() if "BEGIN HIDDEN TESTS" in t]
    assert not (student_tree / "tools").exists()
    assert not (student_tree / "assignments" / "source").exists()
    assert not list(student_tree.rglob("exercise_answers.py"))
    assert not list(student_tree.rglob("nbgrader_config.py"))
    assert not list(student_tree.rglob("kneesci_grading.py"))
    releases = sorted(student_tree.glob("assignments/*/*.ipynb"))
    assert len(releases) == 3
    for release in releases:
        assert texts[release].count("raise NotImplementedError()") >= 3


def test_item_3_the_builder_refuses_a_tree_with_a_solution(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import student_tree
    finally:
        sys.path.remove(str(ROOT / "tools"))
    (tmp_path / "notes.md").write_text("### BEGIN SOLUTION\nx = 1\n")
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "exercise_answers.py").write_text("")
    found = student_tree.problems(tmp_path)
    assert any("notes.md" in p for p in found)
    assert any("exercise_answers.py" in p for p in found)


def test_item_3_notebook_00_runs_from_the_student_tree(student_tree, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(student_tree)}
    env["JUPYTER_PATH"] = str(student_tree / "share" / "jupyter")
    where = subprocess.run(
        [sys.executable, "-c", "import kneesci; print(kneesci.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.startswith(str(student_tree)), where.stdout + where.stderr
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.timeout=300",
            f"--output-dir={tmp_path}",
            str(student_tree / "notebooks" / "00_start_here.ipynb"),
        ],
        cwd=student_tree / "notebooks",
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    executed = json.loads((tmp_path / "00_start_here.ipynb").read_text())
    outputs = [o for c in executed["cells"] for o in c.get("outputs", [])]
    assert outputs and not [o for o in outputs if o["output_type"] == "error"]


def test_item_3_the_course_link_and_binder_badge_point_at_the_student_branch():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in (readme, DEPLOY):
        links = re.findall(r"git-pull\?\S+", text)
        assert links and all("branch=student" in link for link in links), links
    binder = re.findall(r"mybinder\.org/v2/gh/\S+", readme)
    assert binder and all("/kneesci/student?" in link for link in binder), binder


# --- item 5: forged clicks on the body map ----------------------------------------------------
FORGED = [
    {"type": "click"},  # no coordinates
    {"relativeX": "1e999", "relativeY": 10},
    {"relativeX": 10, "relativeY": 10, "boundingRectWidth": "x"},
    {"relativeX": math.nan, "relativeY": 10},
    {"relativeX": math.inf, "relativeY": 10},
    {"relativeX": True, "relativeY": 10},
    {"relativeX": None, "relativeY": None},
    {"relativeX": [1], "relativeY": {"a": 1}},
    {"relativeX": -5000, "relativeY": 10, "boundingRectWidth": 400},
    {"relativeX": 10, "relativeY": 10**9, "boundingRectWidth": 400, "boundingRectHeight": 300},
    "click",
    None,
]


def test_item_5_a_forged_click_on_the_body_map_is_ignored_quietly():
    from kneesci.widgets import Explorer

    explorer = Explorer()
    body = explorer.sensory.body_map
    for event in FORGED:
        body._clicked(event)  # must not raise
    assert explorer.findings == {}
    # A genuine click, as ipyevents reports it, still marks the area under it.
    x, y = body.map.point_of("sensory_loss_medial_leg")
    width = body.map.width
    body._clicked(
        {"type": "click", "relativeX": x / 2, "relativeY": y / 2, "boundingRectWidth": width / 2}
    )
    assert explorer.findings == {"sensory_loss_medial_leg": True}


def test_item_5_the_voila_server_withholds_kernel_tracebacks():
    config = json.loads((ROOT / "voila.json").read_text())
    assert config["VoilaConfiguration"]["show_tracebacks"] is False
    assert config["MappingKernelManager"]["allow_tracebacks"] is False


KERNEL_SCRIPT = """
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
import ipywidgets
import kneesci.widgets
button = ipywidgets.Button()
button.on_click(lambda _: {}["no such finding"])
button.click()  # ipywidgets reports a callback's error through the shell, as in a kernel
"""


@pytest.mark.parametrize("in_voila", [True, False])
def test_item_5_a_callback_error_in_an_app_kernel_shows_no_path_or_source(in_voila):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOILA_")}
    if in_voila:
        env["VOILA_KERNEL_ID"] = "a-kernel"
    done = subprocess.run(
        [sys.executable, "-c", KERNEL_SCRIPT], env=env, capture_output=True, text=True
    )
    report = done.stdout + done.stderr
    assert "KeyError" in report  # the error is still named
    shows_source = 'File "' in report or "ipywidgets" in report or "lambda" in report
    assert shows_source is not in_voila  # full detail in a notebook, none in a Voila app
