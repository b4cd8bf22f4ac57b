//! Random sls.yaml files that span what the config language allows — every event and resource
//! kind, values at their limits, names at their longest — for the property test in
//! `tests/synth.rs`: whatever the validator accepts, cfn-lint accepts.

use std::fmt::Write;

/// xorshift64*: reproducible from a seed, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// A name of lowercase letters, digits and `-`, starting with a letter; sometimes as long
    /// as `max` allows, since length limits are where names break.
    fn name(&mut self, max: u64) -> String {
        let len = if self.chance(20) { max } else { self.range(1, max.min(12)) };
        let mut s = String::from(*self.pick(&["a", "q", "z", "m"]));
        while (s.len() as u64) < len {
            s.push(*self.pick(&['a', 'b', 'x', '7', '0', '-']));
        }
        s.trim_end_matches('-').to_string()
    }
}

const RATES: &[&str] =
    &["rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(12 hours)", "rate(1 day)", "rate(365 days)"];
const CRONS: &[&str] = &[
    "cron(0 12 * * ? *)",
    "cron(59 23 31 12 ? 2199)",
    "cron(0/15 8-17 ? * MON-FRI *)",
    "cron(30 2 L * ? *)",
    "cron(0 0 ? * 6#3 *)",
    "cron(5,35 14 * JAN,JUL ? 1970-2199)",
];
const RETENTIONS: &[u32] =
    &[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/// One config. Resources are declared first so events and `uses` can name them.
pub fn config(rng: &mut Rng) -> String {
    let mut y = String::new();
    let service = rng.name(40);
    writeln!(y, "service: {service}").unwrap();
    writeln!(y, "region: {}", rng.pick(&["eu-west-1", "us-east-1", "ap-southeast-2"])).unwrap();
    writeln!(y, "defaults:\n  arch: {}", rng.pick(&["arm64", "x86_64"])).unwrap();
    writeln!(y, "  log_retention: {}", rng.pick(RETENTIONS)).unwrap();
    if rng.chance(50) {
        writeln!(y, "  tags: {{ team: core, \"cost:center\": \"{}\" }}", "v".repeat(rng.range(0, 256) as usize))
            .unwrap();
    }
    let mut res: Vec<(&str, String, bool)> = Vec::new();
    let mut resources = String::new();
    for (kind, section) in [("table", "tables"), ("queue", "queues"), ("bucket", "buckets"), ("topic", "topics")] {
        let n = rng.below(3);
        if n == 0 {
            continue;
        }
        writeln!(resources, "  {section}:").unwrap();
        for _ in 0..n {
            let name = format!("{}-{}", &kind[..1], rng.name(20));
            if res.iter().any(|(_, r, _)| *r == name) {
                continue;
            }
            let body = match kind {
                "table" => {
                    let mut b = format!("key: \"pk:{}\"", rng.pick(&["S", "N", "B"]));
                    if rng.chance(50) {
                        write!(b, ", sort: \"sk:{}\"", rng.pick(&["S", "N", "B"])).unwrap();
                    }
                    if rng.chance(50) {
                        write!(
                            b,
                            ", stream: {}",
                            rng.pick(&["new_image", "old_image", "new_and_old_images", "keys_only"])
                        )
                        .unwrap();
                    }
                    if rng.chance(30) {
                        b.push_str(", ttl: expires");
                    }
                    if rng.chance(30) {
                        write!(b, ", point_in_time_recovery: {}", rng.chance(50)).unwrap();
                    }
                    b
                }
                "queue" => {
                    let mut b = format!("visibility_timeout: {}", rng.range(900, 43_200));
                    if rng.chance(30) {
                        b.push_str(", fifo: true");
                    }
                    if rng.chance(40) {
                        write!(b, ", retention: {}", rng.range(60, 1_209_600)).unwrap();
                    }
                    if rng.chance(40) {
                        write!(b, ", delay: {}", rng.range(0, 900)).unwrap();
                    }
                    if rng.chance(50) {
                        write!(b, ", dead_letter: {{ max_receives: {} }}", rng.range(1, 1000)).unwrap();
                    }
                    b
                }
                "bucket" => format!("versioning: {}", rng.chance(50)),
                _ => format!("display_name: \"{}\"", "d".repeat(rng.range(1, 100) as usize)),
            };
            writeln!(resources, "    {name}: {{ {body} }}").unwrap();
            let streams = body.contains("stream:");
            res.push((kind, name, streams));
        }
    }
    writeln!(y, "functions:").unwrap();
    let mut routes = std::collections::BTreeSet::new();
    for i in 0..rng.range(1, 5) {
        let name = format!("f{i}{}", rng.name(30));
        writeln!(y, "  {name}:").unwrap();
        writeln!(y, "    memory: {}", rng.pick(&[128, 256, 1769, 3008, 10_240])).unwrap();
        writeln!(y, "    timeout: {}", rng.pick(&[1, 3, 30, 300, 900])).unwrap();
        if rng.chance(30) {
            writeln!(y, "    concurrency: {}", rng.range(0, 1000)).unwrap();
        }
        if rng.chance(30) {
            writeln!(y, "    tracing: {}", rng.pick(&["active", "off"])).unwrap();
        }
        if rng.chance(40) {
            writeln!(y, "    env: {{ RUST_LOG: debug, MY_VAR_{i}: \"{}\" }}", "e".repeat(rng.range(0, 2000) as usize))
                .unwrap();
        }
        let used: Vec<_> = res.iter().filter(|_| rng.chance(50)).collect();
        if !used.is_empty() {
            let list: Vec<String> =
                used.iter().map(|(_, r, _)| format!("{r}: {}", rng.pick(&["read", "write", "read-write"]))).collect();
            writeln!(y, "    uses: {{ {} }}", list.join(", ")).unwrap();
        }
        let mut ev = String::new();
        for _ in 0..rng.range(0, 3) {
            let of = |kind: &str, rng: &mut Rng| {
                let names: Vec<&String> =
                    res.iter().filter(|(k, _, s)| *k == kind || (kind == "stream" && *s)).map(|(_, n, _)| n).collect();
                (!names.is_empty()).then(|| rng.pick(&names).to_string())
            };
            match rng.below(7) {
                0 => {
                    let route = format!(
                        "{} /{}{}",
                        rng.pick(&["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"]),
                        rng.name(8),
                        rng.pick(&["", "/{id}", "/{proxy+}", "/items/{item_id}"])
                    );
                    if routes.insert(route.clone()) {
                        writeln!(ev, "      - http: {route}").unwrap();
                        if rng.chance(30) {
                            writeln!(ev, "        auth: {}", rng.pick(&["none", "iam", "jwt"])).unwrap();
                        }
                        if rng.chance(20) {
                            writeln!(
                                ev,
                                "        throttle: {{ rate: {}, burst: {} }}",
                                rng.range(1, 10_000),
                                rng.range(1, 5_000)
                            )
                            .unwrap();
                        }
                    }
                }
                1 => {
                    if let Some(q) = of("queue", rng) {
                        writeln!(ev, "      - queue: {q}\n        batch_size: {}", rng.range(1, 10)).unwrap();
                    }
                }
                2 => {
                    if let Some(b) = of("bucket", rng) {
                        writeln!(ev, "      - upload: {b}\n        prefix: in/{i}/\n        suffix: .json").unwrap();
                    }
                }
                3 => {
                    let expr = if rng.chance(50) { rng.pick(RATES) } else { rng.pick(CRONS) };
                    writeln!(ev, "      - schedule: {expr}\n        enabled: {}", rng.chance(70)).unwrap();
                }
                4 => {
                    if let Some(t) = of("topic", rng) {
                        writeln!(ev, "      - topic: {t}\n        filter_policy: {{ kind: [a, b] }}").unwrap();
                    }
                }
                5 => {
                    if let Some(t) = of("stream", rng) {
                        writeln!(
                            ev,
                            "      - stream: {t}\n        starting_position: {}",
                            rng.pick(&["latest", "trim_horizon"])
                        )
                        .unwrap();
                    }
                }
                _ => writeln!(ev, "      - eventbridge: {{ source: [app.{i}], detail-type: [Done] }}").unwrap(),
            }
        }
        if !ev.is_empty() {
            write!(y, "    events:\n{ev}").unwrap();
        }
        // Where failed async events go: the default queue, a declared standard queue, or none.
        if ev.contains("upload:") || ev.contains("schedule:") || ev.contains("topic:") || ev.contains("eventbridge:") {
            let standard: Vec<&String> = res
                .iter()
                .filter(|(k, n, _)| {
                    *k == "queue" && !resources.lines().any(|l| l.contains(&format!("{n}:")) && l.contains("fifo"))
                })
                .map(|(_, n, _)| n)
                .collect();
            match rng.below(3) {
                0 => writeln!(y, "    on_failure: none").unwrap(),
                1 if !standard.is_empty() => writeln!(y, "    on_failure: {}", rng.pick(&standard)).unwrap(),
                _ => {}
            }
        }
    }
    if !resources.is_empty() {
        writeln!(y, "resources:\n{resources}").unwrap();
    }
    // Every config says how its API is protected; `jwt` routes need the issuer.
    writeln!(
        y,
        "api:\n  auth: {}\n  jwt: {{ issuer: \"https://issuer.example.com/pool\", audience: [web] }}\n  access_logs: {}",
        rng.pick(&["none", "iam", "jwt"]),
        rng.chance(80)
    )
    .unwrap();
    if rng.chance(50) {
        writeln!(y, "  throttle: {{ rate: {}, burst: {} }}", rng.range(1, 10_000), rng.range(1, 5_000)).unwrap();
    }
    if rng.chance(60) {
        writeln!(y, "stages:\n  prod:\n    removal: retain\n    memory: 2048\n    tags: {{ env: production }}")
            .unwrap();
    }
    y
}
