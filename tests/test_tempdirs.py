"""The grader leaves nothing in the temporary folder (``grader/sandbox/tempdirs.py``): its
folders go when their process ends, and those of killed processes are swept."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from grader.sandbox import tempdirs

MAKE = (
    "import sys, os\nfrom grader.sandbox import tempdirs\n"
    "print(tempdirs.make('probe'), flush=True)\n"
    "if sys.argv[1] == 'kill':\n    os.kill(os.getpid(), 9)\n"
)


def _run(how, tmp):
    env = {**os.environ, "TMPDIR": str(tmp)}
    done = subprocess.run(
        [sys.executable, "-c", MAKE, how], capture_output=True, text=True, env=env, cwd=Path(__file__).parents[1]
    )
    return Path(done.stdout.strip())


def test_a_folder_goes_with_its_process_and_a_killed_process_s_folder_is_swept(tmp_path):
    assert not _run("exit", tmp_path).exists()
    left = _run("kill", tmp_path)
    assert left.is_dir()
    mine = tempfile.mkdtemp(prefix=f"grader-probe-{tempdirs._owner()}-", dir=tmp_path)  # alive: kept
    other = tmp_path / "grader-notes-1"  # not the grader's naming: kept
    other.mkdir()
    assert tempdirs.sweep(tmp_path) == 1
    assert not left.exists() and Path(mine).is_dir() and other.is_dir()


def test_a_pool_worker_removes_its_folders_when_it_exits(tmp_path):
    code = (
        "import multiprocessing as mp\nfrom concurrent.futures import ProcessPoolExecutor\n"
        "from grader.sandbox import tempdirs\n"
        "def work(_):\n    return tempdirs.make('probe')\n"
        "if __name__ == '__main__':\n"
        "    with ProcessPoolExecutor(2, mp_context=mp.get_context('forkserver')) as pool:\n"
        "        print('\\n'.join(pool.map(work, range(4))))\n"
    )
    script = tmp_path / "pool.py"
    script.write_text(code)
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(Path(__file__).parents[1])}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, check=True)
    folders = done.stdout.split()
    assert len(folders) == 4 and not any(Path(f).exists() for f in folders)
