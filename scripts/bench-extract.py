#!/usr/bin/env python3
"""Throughput and peak memory of `hadath extract` on a generated corpus.

Generates a JSON Lines corpus of mixed Arabic/English news-like documents (sentences written
for hadath, combined at random with a fixed seed), runs the release binary over it with one
thread pinned to one core and with all threads, and prints MB/s (median of --runs runs) and
peak RSS (from /usr/bin/time -v).

Usage: scripts/bench-extract.py [--mb 40] [--runs 3] [--bin target/release/hadath] [--keep DIR]
"""
import argparse, json, os, random, re, shutil, statistics, subprocess, sys, tempfile, time

AR = [
    "خرج {n} متظاهر إلى شوارع {city_ar} احتجاجا على ارتفاع أسعار الوقود.",
    "أعلنت وزارة الداخلية في {country_ar} اعتقال {n} شخصا بعد مواجهات مع قوات الأمن.",
    "وقال المتحدث باسم الحكومة إن الوضع تحت السيطرة، داعيا المواطنين إلى التزام الهدوء.",
    "وأغلق المحتجون الطرق الرئيسية المؤدية إلى وسط {city_ar} بالإطارات المشتعلة.",
    "طالب الاتحاد العمالي الحكومة بزيادة الأجور قبل نهاية الشهر الجاري.",
    "وأفادت مصادر طبية بإصابة {n} شخصا بجروح مختلفة، حسبما نقلت وكالة الأنباء الرسمية.",
    "وفرضت السلطات حظر تجول ليليا في {city_ar} حتى إشعار آخر.",
    "ودعا الرئيس إلى حوار وطني شامل لإنهاء الأزمة السياسية في البلاد.",
    "وأكد شهود عيان أن الشرطة استخدمت الغاز المسيل للدموع لتفريق الحشود.",
    "واتهمت المعارضة الحكومة بالفساد وسوء إدارة الموارد العامة.",
]
EN = [
    "Thousands of people marched through {city_en} on {day} to demand the release of detained activists.",
    "Police in {city_en} said {n} people were arrested after clashes near the parliament building.",
    "The foreign minister of {country_en} met his counterpart to discuss border security.",
    "Protesters blocked the main highway with burning tyres, witnesses told local media.",
    "The government announced a state of emergency in {city_en} for thirty days.",
    "At least {n} civilians were wounded when shells hit a market, according to the health ministry.",
    "Opposition leaders called on the president to resign and hold early elections.",
    "Aid agencies warned that food supplies in the region could run out within weeks.",
    "Read more: https://t.co/{tag} #breaking @{handle}",
    "The union said the strike would continue until wages were paid in full.",
]
PLACES = [("Almaty", "ألماتي", "Kazakhstan", "كازاخستان"), ("Basra", "البصرة", "Iraq", "العراق"),
          ("Sfax", "صفاقس", "Tunisia", "تونس"), ("Khartoum", "الخرطوم", "Sudan", "السودان"),
          ("Beirut", "بيروت", "Lebanon", "لبنان"), ("Amman", "عمان", "Jordan", "الأردن")]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

def fill(t, rnd):
    city_en, city_ar, country_en, country_ar = rnd.choice(PLACES)
    return t.format(n=rnd.randint(2, 900), city_en=city_en, city_ar=city_ar, country_en=country_en,
                    country_ar=country_ar, day=rnd.choice(DAYS),
                    tag="".join(rnd.choice("abcdefghijkLMNOP0123") for _ in range(10)),
                    handle=rnd.choice(["newsdesk", "reporter_x", "wire_ar"]))

def corpus(path, mb, seed=7):
    rnd = random.Random(seed)
    size, n = 0, 0
    with open(path, "w", encoding="utf-8") as f:
        while size < mb * 1_000_000:
            paras = []
            for _ in range(rnd.randint(3, 9)):
                pool = AR if rnd.random() < 0.6 else EN
                paras.append(" ".join(fill(rnd.choice(pool), rnd) for _ in range(rnd.randint(1, 4))))
            text = "\n\n".join(paras)
            line = json.dumps({"id": f"bench-{n}", "date": "2022-01-05", "text": text}, ensure_ascii=False)
            f.write(line + "\n")
            size += len(line.encode()) + 1
            n += 1
    return size, n

def run(bin_, path, threads, extra=()):
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    # One thread is also pinned to one core (every thread of the process, the reader and writer
    # included), so that its figure is a per-core figure.
    pin = ["taskset", "-c", "0"] if threads == 1 and shutil.which("taskset") else []
    t0 = time.perf_counter()
    p = subprocess.run([*pin, "/usr/bin/time", "-v", bin_, "extract", "--no-text", *extra, "-o", os.devnull, path],
                       env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"extract failed: {p.stderr[-2000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return dt, int(rss.group(1)) / 1024 if rss else float("nan")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=40)
    ap.add_argument("--bin", default="target/release/hadath")
    ap.add_argument("--keep")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    if not os.path.exists(a.bin):
        sys.exit(f"{a.bin} not found: run `cargo build --release -p hadath-cli` first")
    d = a.keep or tempfile.mkdtemp()
    path = os.path.join(d, "bench.jsonl")
    size, n = corpus(path, a.mb)
    print(f"corpus: {n} documents, {size / 1e6:.1f} MB (JSONL, ~60% Arabic paragraphs)")
    for label, extra in (("read+segment+langid (--segment-only)", ("--segment-only",)),
                         ("full extract", ())):
        for threads in (1, os.cpu_count() or 1):
            # The median of a few runs: a shared machine's timings vary by tens of percent.
            runs = [run(a.bin, path, threads, extra) for _ in range(a.runs)]
            dt = statistics.median(r[0] for r in runs)
            rss = max(r[1] for r in runs)
            where = "1 core (pinned)" if threads == 1 else f"{threads} threads"
            print(f"{label}, {where}: {dt:.2f} s, {size / 1e6 / dt:.1f} MB/s, "
                  f"{n / dt:.0f} docs/s, peak RSS {rss:.0f} MB (median of {a.runs})")
    shared = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "examples")
    if os.path.isdir(shared):
        t0 = time.perf_counter()
        subprocess.run([a.bin, "extract", "--no-text", "-o", os.devnull, shared], check=True)
        print(f"startup + ../shared/examples: {time.perf_counter() - t0:.3f} s")
    if not a.keep:
        os.remove(path)

if __name__ == "__main__":
    main()
