"""course_lib.scale.distributed and course-evaluate with real processes talking over torch.distributed (gloo, 127.0.0.1).

One group of two spawned processes runs every check that needs a process group
(starting processes costs most of the time: importing torch), and returns what
each rank computed; the tests compare that here with one process and with
scikit-learn:

- all-reduced states equal the single-process state of the union;
- the exact distributed ROC-AUC and AP equal scikit-learn on the union, for
  hand-made awkward shards and 150 random ones (ties, empty ranks, one class
  on a rank, negative and huge scores, -0.0 next to 0.0);
- a mismatched configuration, or bad data on one rank, is refused on every rank
  with the same error, and the group still works afterwards (nobody hung);
- course-evaluate inside the group equals course-evaluate alone, and a broken
  file read by one rank is an error naming it on both.

Then course-evaluate under a real ``torchrun --nproc-per-node=2`` (and under
``python -m course_lib.scale.launch``, torchrun with the workers' exit status): the
report, the progress bar's label, and a bad or mismatched file as the same one-line
error on every rank with exit status 2, distinct from a crash (1).
Each test ends with its processes joined: run_local joins or kills them.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from course_lib.scale.distributed import exact_ranking_scores
from course_lib.scale.launch import _free_port, loopback_interface, run_local, workers_exit_status

ROOT = Path(__file__).resolve().parents[1]
WORLD = 2


# --------------------------------------------------------------------------- what each rank runs


def _rank_checks(state_cases, ranking_cases, cli_paths, cli_bad_paths, json_path) -> dict:
    """Executed on every rank of a 2-process group; returns everything the tests look at."""
    import torch.distributed as dist

    from course_lib.scale import evaluate_cli
    from course_lib.scale.distributed import all_reduce_state, distributed_ranking_scores, distributed_roc_auc
    from course_lib.scale.state import MetricState

    rank = dist.get_rank()
    out: dict = {"rank": rank}

    merged = []
    for config, shards in state_cases:
        local = MetricState(**config).update(*shards[rank])
        before = local.copy()
        result = all_reduce_state(local)
        merged.append((result.confusion, result.histogram, local == before))
    out["states"] = merged

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["exact"] = [distributed_ranking_scores(*shards[rank]) for shards in ranking_cases]

    mismatches = [
        ({"bins": 10}, {"bins": 20}),
        ({"threshold": 0.5}, {"threshold": 0.25}),
        ({"labels": (0, 1)}, {"labels": (0, 1, 2)}),
        ({"bins": 10}, {"bins": np.linspace(0.05, 0.95, 9)}),
    ]
    refusals = []
    for pair in mismatches:
        try:
            all_reduce_state(MetricState(**pair[rank]))
            refusals.append(None)
        except ValueError as exc:
            refusals.append(str(exc))
    out["refusals"] = refusals
    try:
        all_reduce_state("not a state" if rank == 1 else MetricState())
    except TypeError as exc:
        out["type_refusal"] = str(exc)

    scores = np.array([0.1, 0.9, np.nan]) if rank == 1 else np.array([0.2, 0.8, 0.4])
    try:
        distributed_roc_auc([0, 1, 1], scores)
    except ValueError as exc:
        out["bad_data"] = str(exc)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out["one_class"] = distributed_ranking_scores([1, 1], [0.3, 0.6 + rank])
    out["one_class_warned"] = any("Only one class" in str(w.message) for w in caught)

    # The group still works after every refusal: nobody is stuck in a collective.
    out["after"] = all_reduce_state(MetricState(bins=4).update([rank], [0.7])).confusion

    for key, argv in (
        ("cli", [*cli_paths, "--no-progress", "--json", json_path]),
        ("cli_exact", [*cli_paths, "--no-progress", "--exact", "--json", json_path + ".exact"]),
        ("cli_bad", [*cli_bad_paths, "--no-progress"]),
    ):
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = evaluate_cli.main(argv)
        out[key] = (code, stdout.getvalue(), stderr.getvalue())
    return out


def _rank_one_fails():
    import torch.distributed as dist

    if dist.get_rank() == 1:
        raise ArithmeticError("rank one gives up")
    return "rank zero is fine"


# --------------------------------------------------------------------------- the data


def _binary(rng, n, prevalence=0.3):
    y = (rng.random(n) < prevalence).astype(np.int64)
    return y, np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1)


def _state_cases():
    rng = np.random.default_rng(0)
    y0, s0 = _binary(rng, 3000)
    y1, s1 = _binary(rng, 500, prevalence=0.05)
    k = 5
    m0 = rng.integers(0, k, 800)
    m1 = rng.integers(0, k - 1, 300)  # the last class never occurs on rank 1
    p0, p1 = rng.dirichlet(np.ones(k), 800), rng.dirichlet(np.ones(k), 300)
    return [
        ({"bins": 100}, [(y0, s0), (y1, s1)]),
        ({"bins": 37, "threshold": 0.31}, [(y0, s0), (y1[:0], s1[:0])]),  # rank 1 has nothing
        ({"labels": range(k), "bins": 64}, [(m0, p0), (m1, p1)]),
    ]


def _ranking_cases():
    rng = np.random.default_rng(1)
    cases = []
    y, s = _binary(rng, 30_000)
    cases.append([(y[:25_000], s[:25_000]), (y[25_000:], s[25_000:])])  # uneven shards
    ties = np.round(s, 2)
    cases.append([(y[:1000], ties[:1000]), (y[1000:3000], ties[1000:3000])])  # heavy ties across ranks
    cases.append([(y[:50], np.full(50, 0.5)), (y[50:90], np.full(40, 0.5))])  # one value everywhere
    cases.append([(y[:2000], s[:2000]), (y[:0], s[:0])])  # an empty rank
    skewed = np.concatenate([rng.normal(0, 1e-9, 2000), [1e6, -1e6, 0.0, -0.0, 0.0, -0.0]])
    labels = rng.integers(0, 2, len(skewed))
    cases.append([(labels[::2], skewed[::2]), (labels[1::2], skewed[1::2])])  # a huge range, -0.0 next to 0.0
    cases.append([(np.ones(300, int), rng.normal(size=300)), (np.zeros(200, int), rng.normal(size=200) - 1)])
    integers = rng.integers(-3, 4, 1000)
    cases.append([(y[:600], integers[:600]), (y[600:1000], integers[600:])])  # integer decision values
    for _ in range(150):  # small random shards: ties, imbalance, one class on a rank
        sizes = rng.integers(0, 40, WORLD)
        if sizes.sum() == 0:
            sizes[0] = 1
        grid = rng.choice([2, 5, 1000])
        shards = []
        for n in sizes:
            labels = (rng.random(n) < rng.choice([0.0, 0.2, 0.5, 1.0])).astype(int)
            shards.append((labels, np.round(rng.normal(labels * 0.5, 1.0) * grid) / grid))
        cases.append(shards)
    return cases


def _write_files(folder: Path):
    """Three good files in ``folder/good``; a file with a NaN score in ``folder/bad``."""
    rng = np.random.default_rng(2)
    (folder / "good").mkdir(parents=True)
    (folder / "bad").mkdir()
    good = []
    for i, n in enumerate([4000, 2500, 1000]):
        y, s = _binary(rng, n)
        good.append(folder / "good" / f"part{i}.npz")
        np.savez_compressed(good[-1], y_true=y, y_score=s)
    y, s = _binary(rng, 700)
    s[5] = np.nan  # only the process that reads this file can see the problem
    bad = folder / "bad" / "nan_score.npz"
    np.savez(bad, y_true=y, y_score=s)
    # Each rank reads every 2nd file of the list: rank 1 reads the bad one.
    return good, [good[0], bad, good[2]]


@pytest.fixture(scope="module")
def group(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("distributed")
    good, bad = _write_files(tmp / "files")
    state_cases, ranking_cases = _state_cases(), _ranking_cases()
    json_path = str(tmp / "report.json")
    results = run_local(
        _rank_checks,
        state_cases,
        ranking_cases,
        [str(p) for p in good],
        [str(p) for p in bad],
        json_path,
        world_size=WORLD,
        timeout=240,
    )
    return dict(
        results=results, state_cases=state_cases, ranking_cases=ranking_cases, good=good, bad=bad, json=json_path
    )


# --------------------------------------------------------------------------- the checks


@pytest.mark.distributed
def test_all_reduced_states_equal_the_single_process_state(group):
    from course_lib.scale.streaming import MetricState

    for index, (config, shards) in enumerate(group["state_cases"]):
        union = MetricState(**config)
        for shard in shards:
            union.update(*shard)
        for rank_result in group["results"]:
            confusion, histogram, input_untouched = rank_result["states"][index]
            np.testing.assert_array_equal(confusion, union.confusion)
            np.testing.assert_array_equal(histogram, union.histogram)
            assert input_untouched


@pytest.mark.distributed
def test_distributed_exact_auc_and_ap_equal_scikit_learn_on_the_union(group):
    import sklearn.metrics as skm

    checked = 0
    for index, shards in enumerate(group["ranking_cases"]):
        y = np.concatenate([shard[0] for shard in shards])
        s = np.concatenate([shard[1] for shard in shards]).astype(np.float64)
        results = [r["exact"][index] for r in group["results"]]
        np.testing.assert_array_equal(results[0], results[1])  # every rank gets the same numbers
        roc_auc, ap = results[0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected_auc = skm.roc_auc_score(y, s) if 0 < y.sum() < len(y) else np.nan
            expected_ap = skm.average_precision_score(y, s) if y.sum() > 0 else 0.0
        np.testing.assert_allclose(roc_auc, expected_auc, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(ap, expected_ap, rtol=1e-12, atol=1e-14)
        checked += 1
    assert checked == len(group["ranking_cases"]) > 150


@pytest.mark.distributed
def test_a_mismatched_configuration_is_refused_on_every_rank_naming_the_rank(group):
    expected_details = ["bins 20 vs 10", "threshold 0.25 vs 0.5", "3 classes vs 2", "bin edges (same count 10"]
    for index, detail in enumerate(expected_details):
        messages = [r["refusals"][index] for r in group["results"]]
        assert messages[0] == messages[1] is not None, "both ranks must refuse, with the same message"
        assert "`state`" in messages[0] and "rank 1 (" in messages[0] and detail in messages[0]
    for r in group["results"]:
        assert "rank 1: Expected argument `state` to be a MetricState" in r["type_refusal"]
        np.testing.assert_array_equal(r["after"], [[0, 1], [0, 1]])  # the group still works


@pytest.mark.distributed
def test_bad_data_on_one_rank_is_the_same_error_on_every_rank(group):
    messages = [r["bad_data"] for r in group["results"]]
    assert messages[0] == messages[1]
    assert "1 of 2 ranks failed" in messages[0] and "rank 1: Expected argument `y_score`" in messages[0]
    for r in group["results"]:
        assert np.isnan(r["one_class"][0]) and r["one_class"][1] == 1.0 and r["one_class_warned"]


def _single_process_report(paths, *extra):
    from course_lib.scale import evaluate_cli

    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        assert evaluate_cli.main([*map(str, paths), "--no-progress", *extra]) == 0
    return stdout.getvalue()


@pytest.mark.distributed
def test_course_evaluate_in_a_group_equals_course_evaluate_alone(group, tmp_path):
    import sklearn.metrics as skm

    rank0, rank1 = group["results"]
    assert rank0["cli"][0] == rank1["cli"][0] == 0
    assert rank1["cli"][1] == "", "only rank 0 prints the report"
    alone_json = tmp_path / "alone.json"
    alone = _single_process_report(group["good"], "--json", str(alone_json))
    assert rank0["cli"][1].replace("on 2 processes", "on 1 process") == alone
    together, by_itself = json.loads(Path(group["json"]).read_text()), json.loads(alone_json.read_text())
    assert together.pop("processes") == 2 and by_itself.pop("processes") == 1
    assert together == by_itself
    data = [np.load(p) for p in group["good"]]
    y = np.concatenate([d["y_true"] for d in data])
    s = np.concatenate([d["y_score"] for d in data])
    assert together["f1_score"] == pytest.approx(skm.f1_score(y, s >= 0.5), abs=1e-12)
    assert abs(together["roc_auc_score"] - skm.roc_auc_score(y, s)) <= together["auc_error_bound"]
    exact = json.loads(Path(group["json"] + ".exact").read_text())
    assert exact["mode"] == "exact" and "exact" in rank0["cli_exact"][1]
    assert exact["roc_auc_score"] == pytest.approx(skm.roc_auc_score(y, s), rel=1e-12)
    assert exact["average_precision_score"] == pytest.approx(skm.average_precision_score(y, s), rel=1e-12)


@pytest.mark.distributed
def test_a_broken_file_read_by_one_rank_is_an_error_on_every_rank(group):
    bad = str(group["bad"][1])
    for r in group["results"]:
        code, stdout, stderr = r["cli_bad"]
        assert code == 2 and stdout == ""
        assert stderr.startswith("course-evaluate: error: 1 of 2 ranks failed. rank 1: ")
        assert bad in stderr and "NaN" in stderr


@pytest.mark.distributed
def test_run_local_reports_a_failing_rank_and_joins_every_process():
    with pytest.raises(RuntimeError, match=r"(?s)1 of 2 processes raised.*rank 1.*ArithmeticError: rank one gives up"):
        run_local(_rank_one_fails, world_size=2, timeout=120)
    import multiprocessing

    assert multiprocessing.active_children() == []


def test_run_local_refuses_functions_a_new_process_cannot_import():
    with pytest.raises(TypeError, match="`fn`.*importable"):
        run_local(lambda: 1)

    def local_function():
        return 1

    with pytest.raises(TypeError, match="`fn`"):
        run_local(local_function)
    with pytest.raises(ValueError, match="`world_size`"):
        run_local(_rank_one_fails, world_size=0)


@pytest.mark.distributed
def test_course_evaluate_under_torchrun_with_two_processes(group, tmp_path):
    out = tmp_path / "torchrun.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    interface = loopback_interface()
    if interface:
        env["GLOO_SOCKET_IFNAME"] = interface
    command = [
        str(Path(sys.executable).parent / "torchrun"),
        "--nproc-per-node=2",
        "--master-addr=127.0.0.1",
        f"--master-port={_free_port()}",
        "-m",
        "course_lib.scale.evaluate_cli",
        str(group["good"][0].parent),  # a folder: its .npz files, sorted
        "--no-progress",
        "--json",
        str(out),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("course-evaluate: 7,500 predictions from 3 files on 2 processes") == 1
    report = json.loads(out.read_text())
    alone = json.loads(Path(group["json"]).read_text())
    assert report == alone  # same files, same counts, same numbers


def _launch(tmp_path, launcher: str, *arguments: str):
    """Run ``launcher`` (torchrun, or ``-m course_lib.scale.launch``) with 2 workers; (result, stderr per rank).

    ``--redirects 3`` writes each worker's stdout and stderr to its own file under ``--log-dir``.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    interface = loopback_interface()
    if interface:
        env["GLOO_SOCKET_IFNAME"] = interface
    logs = tmp_path / f"logs-{launcher.replace(' ', '_')}"
    prefix = (
        [str(Path(sys.executable).parent / "torchrun")] if launcher == "torchrun" else [sys.executable, "-m", launcher]
    )
    command = [
        *prefix,
        "--nproc-per-node=2",
        "--master-addr=127.0.0.1",
        f"--master-port={_free_port()}",
        f"--log-dir={logs}",
        "--redirects=3",
        *arguments,
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    stderr = {int(path.parent.name): path.read_text() for path in logs.rglob("stderr.log")}
    stdout = {int(path.parent.name): path.read_text() for path in logs.rglob("stdout.log")}
    return result, stderr, stdout


def _mismatched_files(folder: Path) -> list[Path]:
    """A binary file next to a 3-class one: every rank reads both headers and refuses the pair."""
    folder.mkdir()
    np.savez(folder / "binary.npz", y_true=[0, 1, 1], y_score=[0.2, 0.7, 0.9])
    np.savez(folder / "three_classes.npz", y_true=[0, 2], y_score=[[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    return [folder / "binary.npz", folder / "three_classes.npz"]


@pytest.mark.distributed
@pytest.mark.parametrize("case", ["mismatched", "bad file on rank 1"])
def test_bad_input_under_torchrun_is_one_line_on_every_rank_and_exit_status_2(group, tmp_path, case):
    if case == "mismatched":
        paths, named = _mismatched_files(tmp_path / "mismatched"), "three_classes.npz"
    else:
        paths, named = group["bad"], group["bad"][1].name
    arguments = ["-m", "course_lib.scale.evaluate_cli", *map(str, paths), "--no-progress"]
    expected_line = None
    for launcher in ("torchrun", "course_lib.scale.launch"):
        result, stderr, stdout = _launch(tmp_path, launcher, *arguments)
        assert sorted(stderr) == [0, 1], result.stderr[-3000:]
        lines = [text.splitlines() for _, text in sorted(stderr.items())]
        assert all(len(rank_lines) == 1 for rank_lines in lines), lines  # one line each, no traceback
        assert lines[0] == lines[1], "every rank ends with the same error"
        line = lines[0][0]
        assert line.startswith("course-evaluate: error: ") and named in line
        assert stdout == {0: "", 1: ""}
        expected_line = expected_line or line
        assert line == expected_line  # the launcher changes nothing in what the workers say
        if launcher == "torchrun":
            assert result.returncode == 1  # torchrun's own status for any failed worker
            assert re.search(r"exitcode\s*: 2", result.stderr)  # its report shows the workers' "bad input"
        else:
            assert result.returncode == 2, result.stderr[-3000:]
            assert "bad input" in result.stderr.splitlines()[-1] and "Traceback" not in result.stderr


@pytest.mark.distributed
def test_the_launcher_says_a_crash_with_exit_status_1(tmp_path):
    result, stderr, _ = _launch(tmp_path, "course_lib.scale.launch", "-m", "course_lib.no_such_module")
    assert result.returncode == 1
    # The first worker to fail says why; torchrun's agent then stops the others, which may die before they
    # get as far (a race), so only one rank's log is sure to hold the message.
    assert any("No module named course_lib.no_such_module" in text for text in stderr.values())
    assert "bad input" not in result.stderr


def test_the_launchers_exit_status_separates_bad_input_from_a_crash():
    assert workers_exit_status([]) == 0
    assert workers_exit_status([2, 2]) == 2
    assert workers_exit_status([2, -15]) == 2  # the launcher stopped a worker after the first one ended
    assert workers_exit_status([-15]) == 1 and workers_exit_status([1, 2]) == 1 and workers_exit_status([-11]) == 1


@pytest.mark.distributed
def test_the_progress_bar_under_torchrun_says_it_counts_its_own_share(group, tmp_path):
    folder = str(group["good"][0].parent)  # 4,000 + 2,500 + 1,000 predictions; rank 0 reads files 0 and 2
    result, stderr, stdout = _launch(tmp_path, "torchrun", "-m", "course_lib.scale.evaluate_cli", folder)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "7,500 predictions from 3 files on 2 processes" in stdout[0]
    bar = stderr[0].replace("\r", "\n").splitlines()[-1]
    assert "rank 0 of 2, this process's share" in bar and "5.00k/5.00k" in bar, bar
    assert stderr[1] == "", "only rank 0 draws a bar"


# --------------------------------------------------------------------------- single process, no torch needed


def test_exact_ranking_scores_alone_equal_scikit_learn():
    import sklearn.metrics as skm

    rng = np.random.default_rng(5)
    for _ in range(50):
        n = int(rng.integers(2, 60))
        y = rng.integers(0, 2, n)
        s = np.round(rng.normal(size=n), int(rng.integers(0, 3)))
        if 0 < y.sum() < n:
            roc_auc, ap = exact_ranking_scores(y, s)
            assert roc_auc == pytest.approx(skm.roc_auc_score(y, s), abs=1e-12)
            assert ap == pytest.approx(skm.average_precision_score(y, s), abs=1e-12)
    with pytest.raises(ValueError, match="`y_true`.*binary"):
        exact_ranking_scores([0, 1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="`y_score`"):
        exact_ranking_scores([0, 1], [0.1])
    with pytest.raises(ValueError, match="`y_score`.*NaN"):
        exact_ranking_scores([0, 1], [0.1, np.nan])


def test_course_evaluate_alone_reports_metrics_by_their_scikit_learn_names(tmp_path):
    import sklearn.metrics as skm

    rng = np.random.default_rng(3)
    k = 4
    y = rng.integers(0, k, 2000)
    p = rng.dirichlet(np.ones(k), 2000)
    p[np.arange(2000), y] += 0.4
    p /= p.sum(axis=1, keepdims=True)
    folder = tmp_path / "multi"
    (folder / "nested").mkdir(parents=True)
    np.savez(folder / "a.npz", y_true=y[:1200], y_score=p[:1200])
    np.savez_compressed(folder / "nested" / "b.npz", y_true=y[1200:], y_score=p[1200:])
    out = tmp_path / "m.json"
    text = _single_process_report([folder], "--exact", "--json", str(out))
    report = json.loads(out.read_text())
    assert "2,000 predictions from 2 files on 1 process" in text and "multiclass task" in text
    np.testing.assert_array_equal(report["confusion_matrix"], skm.confusion_matrix(y, p.argmax(axis=1)))
    for average in ("micro", "macro", "weighted"):
        assert report["f1_score"][average] == pytest.approx(skm.f1_score(y, p.argmax(1), average=average))
    for average in ("macro", "weighted"):
        assert report["roc_auc_score"][average] == pytest.approx(
            skm.roc_auc_score(y, p, multi_class="ovr", average=average), rel=1e-12
        )
    assert report["average_precision_score"]["macro"] == pytest.approx(
        skm.average_precision_score(np.eye(k)[y], p, average="macro"), rel=1e-12
    )
    binned = tmp_path / "binned.json"
    _single_process_report([folder], "--bins", "50", "--json", str(binned))
    binned_report = json.loads(binned.read_text())
    assert binned_report["bins"] == 50 and binned_report["mode"] == "binned"
    for average in ("macro", "weighted"):
        gap = abs(binned_report["roc_auc_score"][average] - report["roc_auc_score"][average])
        assert gap <= binned_report["auc_error_bound"][average]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"a.npz": dict(y_true=[0, 1], y_score=[0.2, 0.7]), "b.npz": dict(y_true=[0], y_score=[[0.2, 0.3, 0.5]])},
            "b.npz with 3 score columns",
        ),
        ({"a.npz": dict(y_true=[0, 1], y_score=[[0.8, 0.2], [0.3, 0.7]])}, r"a.npz: y_score of shape \(2, 2\)"),
        ({"a.npz": dict(y_true=[0, 3], y_score=[0.2, 0.7])}, "a.npz: Expected argument `y_true`.*the label 3"),
        ({"a.npz": dict(truth=[0, 1], y_score=[0.2, 0.7])}, "a.npz: no array `y_true`"),
        ({"a.npz": b"\x00garbage"}, "a.npz: not a zip archive"),
        ({}, "with none"),
    ],
)
def test_course_evaluate_names_the_broken_file(tmp_path, capsys, files, message):
    from course_lib.scale import evaluate_cli

    folder = tmp_path / "data"
    folder.mkdir()
    for name, content in files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            np.savez(folder / name, **content)
    for extra in ([], ["--exact"]):
        assert evaluate_cli.main([str(folder), "--no-progress", *extra]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.startswith("course-evaluate: error: ")
        assert re.search(message, captured.err), captured.err


def test_course_evaluate_alone_never_imports_torch(tmp_path):
    np.savez(tmp_path / "a.npz", y_true=[0, 1, 1], y_score=[0.2, 0.4, 0.9])
    code = (
        "import sys; from course_lib.scale import evaluate_cli; "
        f"rc = evaluate_cli.main([{str(tmp_path / 'a.npz')!r}, '--no-progress', '--exact']); "
        "assert rc == 0 and 'torch' not in sys.modules, sorted(m for m in sys.modules if 'torch' in m)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "3 predictions from 1 file on 1 process" in result.stdout
