"""Writing one small class in each layout an LMS exports (SPEC §8), for the tests.

Each layout is built from its documented format (see ``grader/batch/lms.py``): the same
three students, the same files, so every layout must give the same grades per student.
"""

import io
import zipfile

STUDENTS = [  # roster identities: the name each LMS uses for the student
    {
        "student": "ann",
        "name": "Ann Lee",
        "email": "ann@uni.edu",
        "canvas_id": "101",
        "github": "ann-gh",
        "login": "leeann",
        "moodle_id": "501",
        "created_at": "2027-03-01 10:00:00.000000000 +01:00",
    },
    {
        "student": "bob",
        "name": "Bob Brown",
        "email": "bob@uni.edu",
        "canvas_id": "102",
        "github": "bobb",
        "login": "brownbob",
        "moodle_id": "502",
        "created_at": "2027-03-03 12:00:00.000000000 +01:00",
    },
    {
        "student": "cat",
        "name": "Cat Cho",
        "email": "cat@uni.edu",
        "canvas_id": "103",
        "github": "cat-cho",
        "login": "chocat",
        "moodle_id": "503",
        "created_at": "2027-03-01 23:00:00.000000000 +01:00",
    },
]
ROSTER_COLUMNS = ("student", "name", "email", "canvas_id", "github")


def roster_csv(path):
    lines = [",".join(ROSTER_COLUMNS)] + [",".join(s[c] for c in ROSTER_COLUMNS) for s in STUDENTS]
    path.write_text("\n".join(lines) + "\n")
    return path


def folders(root, files):
    for s in STUDENTS:
        for name, text in files[s["student"]].items():
            (root / s["student"]).mkdir(parents=True, exist_ok=True)
            (root / s["student"] / name).write_text(text)
    return root


def canvas(root, files):
    """Flat files; bob's is late and a resubmission (``-1``), cat's is a zip."""
    root.mkdir(parents=True)
    for i, s in enumerate(STUDENTS):
        prefix = f"{s['login']}{'_LATE' if s['student'] == 'bob' else ''}_{s['canvas_id']}_{9000 + i}_"
        if s["student"] == "cat":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                for name, text in files["cat"].items():
                    archive.writestr(f"mywork/{name}", text)
            (root / f"{prefix}mywork.zip").write_bytes(buffer.getvalue())
            continue
        for name, text in files[s["student"]].items():
            stem, _, suffix = name.rpartition(".")
            shown = f"{stem}-1.{suffix}" if s["student"] == "bob" else name
            (root / f"{prefix}{shown}").write_text(text)
    return root


def moodle(root, files):
    """Folders per student; bob's files flat (without "download in folders"); cat has online text too."""
    root.mkdir(parents=True)
    for s in STUDENTS:
        base = f"{s['name']}_{s['moodle_id']}_assignsubmission_"
        for name, text in files[s["student"]].items():
            if s["student"] == "bob":
                (root / f"{base}file_{name}").write_text(text)
            else:
                (root / f"{base}file_").mkdir(exist_ok=True)
                (root / f"{base}file_" / name).write_text(text)
    (root / "Cat Cho_503_assignsubmission_onlinetext_").mkdir()
    (root / "Cat Cho_503_assignsubmission_onlinetext_" / "onlinetext.html").write_text("<p>see my file</p>")
    return root


def gradescope(root, files):
    """``submission_metadata.yml`` as Gradescope's export writes it (Ruby-style ``:keys:``)."""
    root.mkdir(parents=True)
    lines = []
    for i, s in enumerate(STUDENTS):
        folder = root / f"submission_{7000 + i}"
        folder.mkdir()
        for name, text in files[s["student"]].items():
            (folder / name).write_text(text)
        lines += [
            f"submission_{7000 + i}:",
            "  :submitters:",
            f"  - :name: {s['name']}",
            f"    :sid: '{s['canvas_id']}'",
            f"    :email: {s['email']}",
            f"  :created_at: {s['created_at']}",
            "  :score: 0.0",
            "  :history: []",
        ]
    (root / "submission_metadata.yml").write_text("\n".join(lines) + "\n")
    return root


def github_classroom(root, files):
    for s in STUDENTS:
        clone = root / f"dnn-hw1-{s['github']}"
        (clone / ".git").mkdir(parents=True)
        (clone / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
        for name, text in files[s["student"]].items():
            (clone / name).write_text(text)
    return root


LAYOUTS = {
    "folders": folders,
    "canvas": canvas,
    "moodle": moodle,
    "gradescope": gradescope,
    "github-classroom": github_classroom,
}
