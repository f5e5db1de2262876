"""Loading submissions (SPEC §4): folders, zips, single files, nesting, and refusals."""

import os
import zipfile

import pytest

from grader.pipeline.submission import MAX_TOTAL_BYTES, SubmissionError, load_submission

SOURCE = "def forward_propagation(x, theta):\n    return theta * x\n"


def test_folder_with_files_at_top(tmp_path):
    folder = tmp_path / "alice"
    folder.mkdir()
    (folder / "gradient_checking.py").write_text(SOURCE)
    (folder / "notes.txt").write_text("hi")
    submission = load_submission(folder)
    assert submission.student == "alice"
    assert set(submission.files) == {"gradient_checking"}
    assert submission.files["gradient_checking"].source == SOURCE
    assert submission.unknown == ("notes.txt",)


def test_folder_nested_one_level(tmp_path):
    inner = tmp_path / "bob" / "hw2"
    inner.mkdir(parents=True)
    (inner / "optimization.py").write_text(SOURCE)
    submission = load_submission(tmp_path / "bob")
    assert set(submission.files) == {"optimization"}
    assert submission.files["optimization"].name == "hw2/optimization.py"


def test_single_file_and_student_name(tmp_path):
    path = tmp_path / "gradient_checking.py"
    path.write_text(SOURCE)
    assert load_submission(path, student="carol").student == "carol"
    other = tmp_path / "homework.py"
    other.write_text(SOURCE)
    with pytest.raises(SubmissionError, match="homework.py"):
        load_submission(other)


def test_zip_with_nested_folder_and_unknown_files(tmp_path):
    path = tmp_path / "dave.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("dave/gradient_checking.py", SOURCE)
        archive.writestr("dave/readme.md", "notes")
        archive.writestr("__MACOSX/dave/._gradient_checking.py", "junk")
    submission = load_submission(path)
    assert submission.student == "dave"
    assert set(submission.files) == {"gradient_checking"}
    assert submission.unknown == ("dave/readme.md",)


def test_zip_slip_entries_are_refused_and_listed(tmp_path):
    path = tmp_path / "eve.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../gradient_checking.py", SOURCE)
        archive.writestr("/etc/optimization.py", SOURCE)
        link = zipfile.ZipInfo("regularization.py")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/work/main/solutions/regularization.py")
    submission = load_submission(path)
    assert submission.files == {}
    refused = " ".join(n.text for n in submission.notes)
    assert all(n.assignment == "" for n in submission.notes if "refused" in n.text)  # on the whole submission
    assert "../gradient_checking.py" in refused and "leaves the submission folder" in refused
    assert "regularization.py: refused (a symbolic link)" in refused


def test_zip_bomb_is_refused_without_expanding(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        chunk = b"\0" * (16 * 2**20)
        for i in range(MAX_TOTAL_BYTES // len(chunk) + 1):
            archive.writestr(f"pad{i}.bin", chunk)
    assert path.stat().st_size < 2**20
    with pytest.raises(SubmissionError, match="zip bomb"):
        load_submission(path)


def test_not_a_zip(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(SubmissionError, match="broken.zip: not a readable zip"):
        load_submission(path)


def test_symlinks_in_a_folder_are_not_followed(tmp_path):
    folder = tmp_path / "frank"
    folder.mkdir()
    target = tmp_path / "secret.py"
    target.write_text(SOURCE)
    os.symlink(target, folder / "gradient_checking.py")
    submission = load_submission(folder)
    assert submission.files == {}
    assert "gradient_checking" in submission.problems


def test_non_utf8_source_is_a_clear_problem(tmp_path):
    folder = tmp_path / "gina"
    folder.mkdir()
    (folder / "gradient_checking.py").write_bytes(b"x = '\xff\xfe'\n")
    submission = load_submission(folder)
    assert "gradient_checking.py: cannot be read as Python source" in submission.problems["gradient_checking"]


def test_py_preferred_over_ipynb_and_the_choice_is_noted(tmp_path):
    folder = tmp_path / "hana"
    folder.mkdir()
    (folder / "gradient_checking.py").write_text(SOURCE)
    (folder / "gradient_checking.ipynb").write_text("{}")
    submission = load_submission(folder)
    assert submission.files["gradient_checking"].name == "gradient_checking.py"
    [note] = [n for n in submission.notes if "gradient_checking.py was graded" in n.text]
    assert note.assignment == "gradient_checking" and note.text.startswith("gradient_checking: both ")


def test_same_content_same_hash(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "gradient_checking.py").write_text(SOURCE)
    assert load_submission(tmp_path / "a").sha256 == load_submission(tmp_path / "b").sha256


def test_a_note_goes_to_the_assignment_it_names_as_data_not_by_its_text():
    from grader.pipeline.grading import grade_submission
    from grader.pipeline.submission import Note, Submission

    notes = (
        Note("optimization: looks like a prefix, but concerns the whole submission."),
        Note("Mine.", "optimization"),
    )
    result = grade_submission(Submission("s", "0" * 64, {}, notes=notes))
    optimization = next(a for a in result.assignments if a.id == "optimization")
    assert optimization.notes == ("Mine.",)
    assert result.notes == ("optimization: looks like a prefix, but concerns the whole submission.",)
    assert Submission("s", "", {}, notes=("plain text",)).notes == (Note("plain text"),)  # a str: the whole submission
