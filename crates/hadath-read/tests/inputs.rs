//! Expanding CLI arguments: files, directories, globs, stdin.

mod common;

use common::write;
use hadath_read::{expand_inputs, Input, ReadError};

fn names(inputs: &[Input], root: &std::path::Path) -> Vec<String> {
    inputs
        .iter()
        .map(|i| match i {
            Input::Stdin => "-".to_string(),
            Input::Path(p) => p.strip_prefix(root).unwrap_or(p).display().to_string(),
        })
        .collect()
}

fn arg(p: &std::path::Path) -> String {
    p.display().to_string()
}

#[test]
fn directories_are_walked_sorted_without_hidden_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for f in [
        "b.txt",
        "a.jsonl",
        "sub/z.html",
        "sub/deeper/m.txt",
        "sub/.hidden.txt",
        ".git/config",
        "c.txt.gz",
    ] {
        write(root, f, "x");
    }
    let got = expand_inputs(&[arg(root)]).unwrap();
    let root_name = names(&got, root);
    assert_eq!(
        root_name,
        [
            "a.jsonl",
            "b.txt",
            "c.txt.gz",
            "sub/deeper/m.txt",
            "sub/z.html"
        ]
    );
}

#[test]
fn globs_files_and_stdin_keep_argument_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for f in ["n/2.jsonl", "n/1.jsonl", "n/x.txt", "n/.3.jsonl", "one.txt"] {
        write(root, f, "x");
    }
    let args = [
        arg(&root.join("one.txt")),
        "-".to_string(),
        format!("{}/n/*.jsonl", root.display()),
    ];
    let got = expand_inputs(&args).unwrap();
    assert_eq!(
        names(&got, root),
        ["one.txt", "-", "n/1.jsonl", "n/2.jsonl"]
    );
    assert_eq!(got[1], Input::Stdin);
    assert_eq!(Input::Stdin.to_string(), "-");
    // `**` reaches into directories.
    let got = expand_inputs(&[format!("{}/**/*.txt", root.display())]).unwrap();
    assert_eq!(names(&got, root), ["n/x.txt", "one.txt"]);
}

#[test]
fn nothing_matching_is_an_error_naming_the_argument() {
    let dir = tempfile::tempdir().unwrap();
    let pattern = format!("{}/*.warc", dir.path().display());
    let e = expand_inputs(std::slice::from_ref(&pattern)).unwrap_err();
    assert!(matches!(e, ReadError::NoMatch { .. }));
    assert!(e.to_string().contains(&pattern));
    let missing = arg(&dir.path().join("missing.txt"));
    let e = expand_inputs(std::slice::from_ref(&missing)).unwrap_err();
    assert!(matches!(e, ReadError::Io { .. }));
    assert!(e.to_string().contains(&missing));
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let e = expand_inputs(&[arg(&dir.path().join("empty"))]).unwrap_err();
    assert!(matches!(e, ReadError::NoMatch { .. }));
    let e = expand_inputs(&[format!("{}/[x", dir.path().display())]).unwrap_err();
    assert!(matches!(e, ReadError::BadPattern { .. }), "{e:?}");
}
