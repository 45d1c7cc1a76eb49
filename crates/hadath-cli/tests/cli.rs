//! End-to-end tests of the `hadath` binary on fixtures written for hadath.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn hadath(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hadath"))
        .args(args)
        .output()
        .expect("the hadath binary runs")
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn records(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

/// Slices `text` by code points, as Python does.
fn slice(text: &str, start: &Value, end: &Value) -> String {
    let (s, e) = (
        start.as_u64().unwrap() as usize,
        end.as_u64().unwrap() as usize,
    );
    text.chars().skip(s).take(e - s).collect()
}

#[test]
fn extracts_every_bundled_example_in_input_order() {
    let out = hadath(&["extract", examples().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(&out);
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    assert!(ids[0].ends_with("amman-rally.html"), "{ids:?}");
    assert_eq!(&ids[1..4], ["basra-1", "basra-2", "basra-3"]);
    assert!(ids[4].ends_with("tunis-strike.txt"));
    assert_eq!(&ids[5..], ["wire-101", "wire-102"]);
    for r in &recs {
        let text = r["text"].as_str().unwrap();
        for s in r["segments"].as_array().unwrap() {
            let piece = slice(text, &s["start"], &s["end"]);
            assert!(!piece.trim().is_empty(), "empty segment in {}", r["id"]);
            assert_eq!(piece, piece.trim(), "segment not trimmed in {}", r["id"]);
        }
        for e in r["events"].as_array().unwrap() {
            let t = &e["trigger"];
            assert_eq!(
                slice(text, &t["start"], &t["end"]),
                t["text"].as_str().unwrap()
            );
        }
        for p in r["places"].as_array().unwrap() {
            assert_eq!(
                slice(text, &p["start"], &p["end"]),
                p["text"].as_str().unwrap()
            );
        }
    }
}

#[test]
fn text_with_header_and_pasted_post() {
    let path = examples().join("tunis-strike.txt");
    let out = hadath(&["extract", path.to_str().unwrap()]);
    assert!(out.status.success());
    let r = &records(&out)[0];
    assert_eq!(r["date"], "2022-03");
    assert_eq!(
        r["anchor_date"], "2022-03-08",
        "the dated post refines the month"
    );
    assert_eq!(r["lang"], "ar");
    assert!(r["languages"]["en"].as_f64().unwrap() > 0.05);
    assert_eq!(r["title"], "إضراب عمال الموانئ في تونس");
    let text = r["text"].as_str().unwrap();
    assert!(!text.starts_with("date"), "header lines are not text");
    let post = &r["posts"][0];
    assert_eq!(post["handle"], "salma_reports");
    assert_eq!(post["author"], "Salma Ben Ali");
    assert_eq!(post["date"], "2022-03-08");
    assert!(slice(text, &post["start"], &post["end"]).starts_with("Dock workers in Sfax"));
    let kinds: Vec<&str> = r["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"url") && kinds.contains(&"media"),
        "{kinds:?}"
    );
    let places: Vec<&str> = r["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(places.contains(&"Sfax"), "{places:?}");
}

#[test]
fn csv_geojson_and_json_outputs_parse() {
    let dir = examples();
    let csv = hadath(&["extract", "--to", "csv", dir.to_str().unwrap()]);
    assert!(csv.status.success());
    let body = String::from_utf8(csv.stdout).unwrap();
    let header = body.lines().next().unwrap();
    assert!(header.starts_with("event_id,event_date,year,time_precision,event_type"));
    let geo = hadath(&["extract", "--to", "geojson", dir.to_str().unwrap()]);
    let v: Value = serde_json::from_slice(&geo.stdout).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    for f in v["features"].as_array().unwrap() {
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        assert!(c[0].as_f64().unwrap().abs() <= 180.0 && c[1].as_f64().unwrap().abs() <= 90.0);
    }
    let json = hadath(&["extract", "--to", "json", dir.to_str().unwrap()]);
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(7));
}

#[test]
fn bad_input_is_named_and_keep_going_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("a-photo.txt");
    std::fs::write(&bin, [0u8, 159, 146, 150, 0, 0, 1, 2, 3]).unwrap();
    let good = dir.path().join("b-good.txt");
    std::fs::write(&good, "Workers marched in Tunis on Monday.\n").unwrap();
    let out = hadath(&["extract", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a-photo.txt"), "{err}");
    assert!(
        records(&out).is_empty(),
        "stops at the first error without --keep-going"
    );

    let out = hadath(&["extract", "--keep-going", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(records(&out).len(), 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 skipped"), "{err}");
}

#[test]
fn missing_input_and_bad_options_are_errors() {
    let out = hadath(&["extract", "/nonexistent/hadath/input.txt"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/hadath/input.txt"));
    let out = hadath(&["extract", "--to", "xml", "-"]);
    assert!(!out.status.success());
    let out = hadath(&["extract", "--date", "yesterday", "-"]);
    assert!(!out.status.success());
}

#[test]
fn no_text_leaves_the_text_out() {
    let path = examples().join("basra-water.jsonl");
    let out = hadath(&["extract", "--no-text", path.to_str().unwrap()]);
    let recs = records(&out);
    assert_eq!(recs.len(), 3);
    assert!(recs.iter().all(|r| r.get("text").is_none()));
    assert_eq!(
        recs[2]["meta"]["tags"][0], "water",
        "unknown JSONL keys are kept"
    );
}

/// The real mixed Arabic/English report in ../shared (read, never copied).
#[test]
fn shared_kazakhstan_example() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/examples/kazakhstan-2022-01.txt");
    if !path.exists() {
        println!(
            "skipped: {} is absent (it ships with the development data only)",
            path.display()
        );
        return;
    }
    let out = hadath(&["extract", path.to_str().unwrap()]);
    assert!(out.status.success());
    let r = &records(&out)[0];
    assert_eq!(r["date"], "2022-01");
    assert_eq!(r["anchor_date"], "2022-01-05");
    assert_eq!(r["lang"], "ar");
    assert!(r["languages"]["en"].as_f64().unwrap() > 0.1);
    let post = r["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["handle"] == "ragipsoylu")
        .expect("the signed tweet is found");
    assert_eq!(post["date"], "2022-01-05");
    assert_eq!(post["author"], "Ragıp Soylu");
    let links: Vec<&str> = r["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert!(links.iter().any(|l| l.starts_with("https://t.co/")));
    assert!(links.iter().any(|l| l.starts_with("pic.twitter.com/")));
    // English tweet lines and Arabic paragraphs are told apart.
    let langs: Vec<&str> = r["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "paragraph")
        .map(|s| s["lang"].as_str().unwrap())
        .collect();
    assert!(langs.contains(&"ar") && langs.contains(&"en"));
    // Places: Almaty and Aktau are the Kazakh cities, Kazakhstan the country.
    let places = r["places"].as_array().unwrap();
    let find = |name: &str| places.iter().find(|p| p["name"] == name);
    for city in ["Almaty", "Aktau"] {
        let p = find(city).unwrap_or_else(|| panic!("{city} found"));
        assert_eq!(p["country"], "KZ");
        assert_eq!(p["kind"], "city");
    }
    assert_eq!(
        find("Kazakhstan").expect("Kazakhstan found")["kind"],
        "country"
    );
    // The appeal to the CSTO.
    let events = r["events"].as_array().unwrap();
    assert!(events.iter().any(|e| e["type"] == "REQUEST"
        && e["actors"]
            .as_array()
            .unwrap()
            .iter()
            .chain(e["recipients"].as_array().unwrap())
            .any(|a| a["code"] == "IGOCSTO")));
    assert!(events.iter().any(|e| e["type"] == "PROTEST"));
    // The looting carries its counts, the emergency its end date.
    let counts: Vec<(String, u64)> = events
        .iter()
        .flat_map(|e| e["quantities"].as_array().unwrap().clone())
        .filter(|q| q["role"] == "looted")
        .map(|q| {
            (
                q["object"].as_str().unwrap_or("").to_string(),
                q["value"].as_u64().unwrap(),
            )
        })
        .collect();
    for want in [("shops", 120), ("offices", 100), ("restaurants", 200)] {
        assert!(counts.contains(&(want.0.to_string(), want.1)), "{counts:?}");
    }
    assert!(events
        .iter()
        .any(|e| e["type"] == "COERCE" && e["date_end"]["value"] == "2022-01-19"));
}

#[test]
fn reads_stdin_with_a_date_option() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_hadath"))
        .args(["extract", "--date", "2024-05-02", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the hadath binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all("تظاهر مئات الطلاب أمس في بغداد احتجاجا على نتائج الامتحانات.\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = &records(&out)[0];
    assert_eq!(r["id"], "-");
    assert_eq!(r["date"], "2024-05-02");
    assert_eq!(r["lang"], "ar");
    let places: Vec<&str> = r["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(places.contains(&"Baghdad"), "{places:?}");
    // The whole chain: event type, inherited actor country, place, relative date, count.
    let e = &r["events"][0];
    assert_eq!(e["type"], "PROTEST");
    assert_eq!(e["actors"][0]["code"], "IRQ");
    assert_eq!(e["actors"][0]["sector"], "EDU");
    assert_eq!(e["location"]["name"], "Baghdad");
    assert_eq!(
        e["date"]["value"], "2024-05-01",
        "أمس is the day before --date"
    );
    assert_eq!(e["quantities"][0]["role"], "participants");
    assert_eq!(e["quantities"][0]["value"], 100);
}
