//! End-to-end tests of `hadath ingest`, `query`, `export` and `check` on documents written for
//! these tests (and on ../shared when it is there).

use hadath_store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn hadath(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hadath"))
        .args(args)
        .output()
        .expect("the hadath binary runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const CITIES: &[(&str, &str)] = &[
    ("Almaty", "ألماتي"),
    ("Cairo", "القاهرة"),
    ("Tunis", "تونس"),
    ("Basra", "البصرة"),
    ("Beirut", "بيروت"),
    ("Khartoum", "الخرطوم"),
    ("Amman", "عمان"),
    ("Rabat", "الرباط"),
];
const GROUPS: &[&str] = &[
    "teachers",
    "nurses",
    "students",
    "farmers",
    "dock workers",
    "taxi drivers",
];
const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A synthetic corpus of `n` short reports (JSON Lines), English and Arabic, each distinct.
fn corpus(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let (city, city_ar) = CITIES[i % CITIES.len()];
        let group = GROUPS[i / CITIES.len() % GROUPS.len()];
        let day = DAYS[i % DAYS.len()];
        let date = format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
        let text = if i % 3 == 0 {
            format!(
                "تظاهر {} من {} في {city_ar} يوم الأحد للمطالبة بزيادة الأجور، واعتقلت الشرطة {} منهم.",
                100 + i,
                ["المعلمين", "الممرضين", "الطلاب", "المزارعين"][i % 4],
                3 + i % 20
            )
        } else {
            format!(
                "About {} {group} protested in {city} on {day} over pay, and police detained {} of them, report number {i}.",
                100 + i,
                3 + i % 20
            )
        };
        let line = serde_json::json!({"id": format!("doc-{i}"), "date": date, "source": format!("Outlet {}", i % 5), "text": text});
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// Documents in a store an ingest may be writing (none while it is not there yet, or not
/// readable yet).
fn stored_while_running(db: &Path) -> i64 {
    if !db.exists() {
        return 0;
    }
    Store::open(db.to_str().unwrap())
        .and_then(|mut s| s.counts())
        .map(|c| c.documents)
        .unwrap_or(0)
}

fn counts(db: &Path) -> hadath_store::Counts {
    Store::open(db.to_str().unwrap()).unwrap().counts().unwrap()
}

#[test]
fn ingest_twice_adds_nothing_and_query_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let dbs = db.to_str().unwrap();
    let examples = repo().join("examples");
    let ex = examples.to_str().unwrap();
    let first = hadath(&["ingest", ex, "--db", dbs, "--quiet"]);
    ok(&first);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(stderr.contains("7 stored"), "{stderr}");
    let c1 = counts(&db);
    let second = hadath(&["ingest", ex, "--db", dbs, "--quiet"]);
    ok(&second);
    assert!(String::from_utf8_lossy(&second.stderr).contains("0 stored, 7 already stored"));
    assert_eq!(counts(&db), c1);
    let table = ok(&hadath(&["query", "--db", dbs, "--type", "PROTEST"]));
    assert!(table.contains("PROTEST/"), "{table}");
    assert!(table.lines().last().unwrap().contains("events"), "{table}");
    let jsonl = ok(&hadath(&[
        "query",
        "--db",
        dbs,
        "--format",
        "jsonl",
        "--country",
        "IQ",
    ]));
    for line in jsonl.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["country"], "IQ");
    }
    let bad = hadath(&["query", "--db", dbs, "--since", "last week"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a date"));
    for full in [&[][..], &["--full"][..]] {
        let out = ok(&hadath(&[&["check", "--db", dbs][..], full].concat()));
        assert!(out.ends_with("consistent\n"), "{out}");
    }
}

#[test]
fn shared_examples_and_gold_texts_ingest_idempotently() {
    let shared = repo().join("../shared");
    if !shared.join("examples").is_dir() || !shared.join("gold").is_dir() {
        eprintln!("skipped: ../shared (examples and gold) is not beside the repository");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Gold files are fed as id/text/date only, as for scoring.
    let gold = dir.path().join("gold-texts.jsonl");
    let mut out = std::fs::File::create(&gold).unwrap();
    for entry in std::fs::read_dir(shared.join("gold")).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".dev.jsonl") {
            continue;
        }
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let slim = serde_json::json!({"id": v["id"], "text": v["text"], "date": v.get("date")});
            writeln!(out, "{slim}").unwrap();
        }
    }
    drop(out);
    let db = dir.path().join("h.db");
    let args = |db: &Path| {
        vec![
            "ingest".to_string(),
            shared.join("examples").to_string_lossy().into_owned(),
            gold.to_string_lossy().into_owned(),
            "--db".into(),
            db.to_string_lossy().into_owned(),
            "--quiet".into(),
            "--keep-going".into(),
        ]
    };
    let run = |db: &Path| {
        Command::new(env!("CARGO_BIN_EXE_hadath"))
            .args(args(db))
            .output()
            .unwrap()
    };
    let first = run(&db);
    assert!(
        first.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let c1 = counts(&db);
    assert!(c1.documents > 100 && c1.events > 50, "{c1:?}");
    run(&db);
    assert_eq!(counts(&db), c1);
    assert!(Store::open(db.to_str().unwrap())
        .unwrap()
        .check()
        .unwrap()
        .is_empty());
}

#[test]
fn a_killed_ingest_leaves_a_consistent_store_and_a_rerun_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("corpus.jsonl");
    std::fs::write(&input, corpus(1200)).unwrap();
    let inp = input.to_str().unwrap();
    let killed = dir.path().join("killed.db");
    let clean = dir.path().join("clean.db");

    let mut child = Command::new(env!("CARGO_BIN_EXE_hadath"))
        .args([
            "ingest",
            inp,
            "--db",
            killed.to_str().unwrap(),
            "--batch",
            "25",
            "--quiet",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let n = stored_while_running(&killed);
        if n >= 100 {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            panic!("ingest finished before it could be killed; make the corpus bigger");
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "ingest made no progress"
        );
    }
    // SIGKILL: no destructor, no rollback by the process itself.
    child.kill().unwrap();
    child.wait().unwrap();
    let mut store = Store::open(killed.to_str().unwrap()).unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let partial = store.counts().unwrap();
    assert!(partial.documents < 1200, "{partial:?}");
    assert_eq!(
        partial.documents % 25,
        0,
        "only whole batches are stored: {partial:?}"
    );
    drop(store);

    ok(&hadath(&[
        "ingest",
        inp,
        "--db",
        killed.to_str().unwrap(),
        "--batch",
        "25",
        "--quiet",
    ]));
    ok(&hadath(&[
        "ingest",
        inp,
        "--db",
        clean.to_str().unwrap(),
        "--batch",
        "25",
        "--quiet",
    ]));
    let resumed = counts(&killed);
    assert_eq!(resumed.documents, 1200);
    assert_eq!(resumed, counts(&clean));
    assert!(Store::open(killed.to_str().unwrap())
        .unwrap()
        .check()
        .unwrap()
        .is_empty());
}

#[test]
fn exports_read_back_with_independent_tools() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let dbs = db.to_str().unwrap();
    let input = dir.path().join("corpus.jsonl");
    std::fs::write(&input, corpus(60)).unwrap();
    ok(&hadath(&[
        "ingest",
        input.to_str().unwrap(),
        repo().join("examples").to_str().unwrap(),
        "--db",
        dbs,
        "--quiet",
    ]));
    for fmt in ["csv", "jsonl", "geojson", "parquet"] {
        let out = dir.path().join(format!("events.{fmt}"));
        ok(&hadath(&[
            "export",
            "--db",
            dbs,
            "--to",
            fmt,
            "-o",
            out.to_str().unwrap(),
        ]));
    }
    let mut store = Store::open(dbs).unwrap();
    let total = store.counts().unwrap().events;
    let mut geo = 0;
    store
        .for_each_event(&hadath_store::Filter::default(), |_, e| {
            geo += usize::from(e.lat.is_some());
            Ok(())
        })
        .unwrap();
    // CSV to stdout, filtered.
    let csv = ok(&hadath(&[
        "export",
        "--db",
        dbs,
        "--to",
        "csv",
        "--country",
        "EG",
    ]));
    assert!(csv.lines().count() > 1);
    assert!(
        csv.lines().skip(1).all(|l| l.contains(",Egypt,EGY,")),
        "{csv}"
    );
    let py = Command::new("python3")
        .arg(repo().join("scripts/check-exports.py"))
        .arg(dir.path())
        .arg(total.to_string())
        .arg(geo.to_string())
        .output();
    match py {
        Err(e) => eprintln!("skipped the Python read-back: python3 does not run ({e})"),
        Ok(o) if o.status.code() == Some(3) => {
            eprintln!(
                "skipped the Python read-back: {}",
                String::from_utf8_lossy(&o.stdout)
            )
        }
        Ok(o) => {
            ok(&o);
        }
    }
}

/// A transaction commits when the input pauses: documents handed to the writer are stored
/// (and visible) within seconds while the input stays open, not only when it ends or when
/// `--batch` documents have come.
#[test]
fn a_pause_in_the_input_commits_what_came() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("slow.db");
    let corpus = corpus(300);
    let (first, rest) = corpus.split_at(
        corpus
            .match_indices('\n')
            .nth(255)
            .map(|(i, _)| i + 1)
            .unwrap(),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_hadath"))
        .args([
            "ingest",
            "-",
            "--from",
            "jsonl",
            "--db",
            db.to_str().unwrap(),
            "--quiet",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // One chunk's worth (256 documents), then a pause with the input still open.
    stdin.write_all(first.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let started = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(100));
        let n = stored_while_running(&db);
        if n == 256 {
            break;
        }
        assert!(n == 0, "{n} documents stored");
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "nothing was committed while the input paused"
        );
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the ingest is still reading"
    );
    stdin.write_all(rest.as_bytes()).unwrap();
    drop(stdin);
    assert!(child.wait().unwrap().success());
    assert_eq!(counts(&db).documents, 300);
}

/// A bad input stops the ingest after everything read before it is stored (more than one
/// chunk of it, read while earlier chunks were extracted); with `--keep-going` the inputs after
/// it are stored too. Either way the exit status is 1 and the bad input is named.
#[test]
fn a_bad_input_stops_after_what_came_before_it_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    let lines: Vec<String> = corpus(310).lines().map(String::from).collect();
    std::fs::write(inputs.join("a-first.jsonl"), lines[..300].join("\n")).unwrap();
    std::fs::write(
        inputs.join("b-photo.txt"),
        [0u8, 159, 146, 150, 0, 0, 1, 2, 3],
    )
    .unwrap();
    std::fs::write(inputs.join("c-last.jsonl"), lines[300..].join("\n")).unwrap();
    let db = dir.path().join("h.db");
    let args = [
        "ingest",
        inputs.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ];

    let out = hadath(&args);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("b-photo.txt"), "{err}");
    assert!(err.contains("stopped at the first error"), "{err}");
    assert_eq!(counts(&db).documents, 300, "{err}");

    let out = hadath(&[&args[..], &["--keep-going"]].concat());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("b-photo.txt") && err.contains("1 inputs skipped"),
        "{err}"
    );
    assert!(err.contains("310 documents read"), "{err}");
    assert_eq!(counts(&db).documents, 310, "{err}");
}
