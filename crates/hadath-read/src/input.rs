//! Turning command-line arguments into a list of inputs.

use std::fs;
use std::path::{Path, PathBuf};

use crate::ReadError;

/// One thing to read: standard input or a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Input {
    Stdin,
    Path(PathBuf),
}

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::Stdin => f.write_str("-"),
            Input::Path(p) => write!(f, "{}", p.display()),
        }
    }
}

/// Expands CLI arguments into inputs, in argument order: `-` is stdin; a file is itself;
/// a directory gives its files recursively, sorted by name, skipping hidden files and
/// directories (names starting with `.`) and not following directory symlinks; anything
/// else is a glob pattern (`news/*.jsonl`, `**/*.html`), whose matches are sorted and
/// whose directories are expanded the same way.
///
/// A pattern or directory that yields no file is an error ([`ReadError::NoMatch`]), and so
/// is a path that does not exist ([`ReadError::Io`]).
pub fn expand_inputs(args: &[String]) -> Result<Vec<Input>, ReadError> {
    let mut out = Vec::new();
    for arg in args {
        if arg == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let path = Path::new(arg);
        let before = out.len();
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => walk(path, &mut out)?,
            Ok(_) => out.push(Input::Path(path.to_path_buf())),
            Err(e) if !is_pattern(arg) => {
                return Err(ReadError::Io {
                    input: arg.clone(),
                    source: e,
                })
            }
            Err(_) => glob_into(arg, &mut out)?,
        }
        if out.len() == before {
            return Err(ReadError::NoMatch {
                pattern: arg.clone(),
            });
        }
    }
    Ok(out)
}

fn is_pattern(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

fn glob_into(pattern: &str, out: &mut Vec<Input>) -> Result<(), ReadError> {
    let opts = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    let paths = glob::glob_with(pattern, opts).map_err(|e| ReadError::BadPattern {
        pattern: pattern.to_string(),
        reason: e.to_string(),
    })?;
    let mut found: Vec<PathBuf> = Vec::new();
    for p in paths {
        match p {
            Ok(p) => found.push(p),
            Err(e) => {
                return Err(ReadError::Io {
                    input: e.path().display().to_string(),
                    source: e.into(),
                })
            }
        }
    }
    found.sort();
    for p in found {
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(Input::Path(p));
        }
    }
    Ok(())
}

fn is_hidden(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// Appends the files under `dir`, depth first, each level sorted by name.
fn walk(dir: &Path, out: &mut Vec<Input>) -> Result<(), ReadError> {
    let io = |e| ReadError::Io {
        input: dir.display().to_string(),
        source: e,
    };
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for p in entries {
        if is_hidden(&p) {
            continue;
        }
        let Ok(link_meta) = fs::symlink_metadata(&p) else {
            continue;
        };
        if link_meta.is_dir() {
            walk(&p, out)?;
        } else if link_meta.file_type().is_symlink() {
            // Follow links to files; skip links to directories (they may loop).
            if fs::metadata(&p).is_ok_and(|m| m.is_file()) {
                out.push(Input::Path(p));
            }
        } else if link_meta.is_file() {
            out.push(Input::Path(p));
        }
    }
    Ok(())
}
