//! `boundary-lsp graph`: the module (or crate) dependency graph as Graphviz DOT, Mermaid, or a
//! self-contained HTML page, grouped by layer, with violations and cycles in red.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::analysis::config::Config;
use crate::analysis::engine::Selection;
use crate::analysis::graph::{
    Architecture, CycleOptions, EdgeTarget, ModId, ModuleGraph, ModulePattern,
};
use crate::analysis::loader;
use crate::analysis::rules::module_cycle;
use crate::analysis::workspace::{TargetKind, Workspace};

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Html,
}

#[derive(Args, Debug, Clone)]
pub struct GraphArgs {
    /// A workspace or a folder inside one.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// One node per crate instead of per module.
    #[arg(long)]
    pub crates: bool,
    /// Collapse modules deeper than this below their crate root (default: every module, or
    /// the deepest level that keeps the picture at most 80 nodes).
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
    /// Only this module (a pattern like `crate::server` or `my_core::domain`) and its
    /// neighbours.
    #[arg(long, value_name = "MODULE")]
    pub focus: Option<String>,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Use this config file instead of `<root>/boundary.toml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

const NODE_W: f64 = 230.0;
const NODE_H: f64 = 34.0;

/// Above this many nodes the picture is collapsed unless `--depth` is given.
pub const MAX_NODES: usize = 80;

/// What gets drawn.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    pub nodes: Vec<ViewNode>,
    pub edges: Vec<ViewEdge>,
    /// Layer names, top to bottom.
    pub layers: Vec<String>,
    /// Notes for the reader (collapsing, focus).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ViewNode {
    pub name: String,
    pub layer: Option<usize>,
    pub external: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ViewEdge {
    pub from: usize,
    pub to: usize,
    /// How many `use` items, paths or manifest entries make it.
    pub count: usize,
    /// Rule texts of the violations and cycles along it (empty: fine).
    pub problems: Vec<String>,
}

pub fn run(args: &GraphArgs) -> i32 {
    match run_inner(args) {
        Ok(()) => 0,
        Err(msg) => {
            eprintln!("error: {msg}");
            2
        }
    }
}

fn run_inner(args: &GraphArgs) -> Result<(), String> {
    if !args.path.exists() {
        return Err(format!(
            "{}: no such file or directory",
            args.path.display()
        ));
    }
    let root = loader::find_root(&args.path);
    let config = super::check::load_config(&root, args.config.as_deref())?;
    // The graph needs the file summaries only: run no rule.
    let engine = loader::engine_for(
        config,
        &Selection {
            select: vec![module_cycle::META.id.to_string()],
            ignore: vec![module_cycle::META.id.to_string()],
        },
    );
    let analysis = loader::analyse_path(&root, &engine);
    crate::analysis::graph::validate_workspace(&engine.config, &analysis.workspace)
        .map_err(|e| e.to_string())?;
    let focus = match &args.focus {
        Some(f) => Some(ModulePattern::parse(f).map_err(|e| format!("--focus: {e}"))?),
        None => None,
    };
    let view = build_view(
        &analysis.workspace,
        &engine.config,
        args.crates,
        args.depth,
        focus.as_ref(),
    )?;
    for n in &view.notes {
        eprintln!("note: {n}");
    }
    let text = match args.format {
        GraphFormat::Dot => dot(&view),
        GraphFormat::Mermaid => mermaid(&view),
        GraphFormat::Html => html(&view),
    };
    match &args.output {
        Some(p) => {
            std::fs::write(p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(format!("cannot write output: {e}"))
                }
                _ => Ok(()),
            }
        }
    }
}

/// Builds the picture: nodes (modules collapsed to `depth`, or crates), edges with their
/// problems, grouped by layer.
pub fn build_view(
    ws: &Workspace,
    config: &Config,
    crates: bool,
    depth: Option<usize>,
    focus: Option<&ModulePattern>,
) -> Result<View, String> {
    let g = ModuleGraph::build(ws);
    let arch = Architecture::from_config(config).map_err(|e| e.to_string())?;
    let shown = |m: ModId| {
        let c = &g.crates[g.modules[m].krate];
        !g.modules[m].is_test && matches!(c.kind, TargetKind::Lib | TargetKind::Bin)
    };
    let count_at = |d: usize| {
        let mut set: Vec<ModId> = (0..g.modules.len())
            .filter(|&m| shown(m))
            .map(|m| g.ancestor_at(m, d))
            .collect();
        set.sort_unstable();
        set.dedup();
        set.len()
    };
    let mut notes = Vec::new();
    let depth = if crates {
        0
    } else {
        match depth {
            Some(d) => d,
            None => {
                let full = (0..g.modules.len()).filter(|&m| shown(m)).count();
                if full > MAX_NODES && focus.is_none() {
                    let mut d = 1;
                    while count_at(d + 1) <= MAX_NODES && count_at(d + 1) > count_at(d) {
                        d += 1;
                    }
                    notes.push(format!(
                        "{full} modules collapsed to depth {d} ({} nodes); use --depth or --focus for more detail",
                        count_at(d)
                    ));
                    d
                } else {
                    usize::MAX
                }
            }
        }
    };
    let node_of = |m: ModId| -> ModId {
        if crates {
            g.crates[g.modules[m].krate].root
        } else {
            g.ancestor_at(m, depth)
        }
    };
    // Cycles with the rule's settings, as pairs of drawn nodes.
    let cycle_opts = CycleOptions {
        ignore_super: config.bool_opt(&module_cycle::META, "ignore-super-uses"),
        depth: config.int(&module_cycle::META, "depth").max(0) as usize,
        include_tests: false,
    };
    let mut cycle_pairs: HashMap<(ModId, ModId), String> = HashMap::new();
    for c in g.cycles(ws, cycle_opts) {
        let mut names: Vec<String> = c.modules.iter().map(|&m| g.name(m)).collect();
        names.push(names[0].clone());
        let text = format!("module-cycle: {}", names.join(" -> "));
        for (i, &a) in c.modules.iter().enumerate() {
            let b = c.modules[(i + 1) % c.modules.len()];
            cycle_pairs.entry((a, b)).or_insert_with(|| text.clone());
        }
    }
    // The modules cycles are computed between (the rule's `depth`).
    let cycle_node = |m: ModId| match cycle_opts.depth {
        0 => m,
        d => g.ancestor_at(m, d),
    };
    #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
    enum Key {
        Module(ModId),
        External(String),
    }
    let mut edges: BTreeMap<(Key, Key), (usize, Vec<String>)> = BTreeMap::new();
    let mut nodes: BTreeMap<Key, ()> = BTreeMap::new();
    for m in (0..g.modules.len()).filter(|&m| shown(m)) {
        nodes.insert(Key::Module(node_of(m)), ());
    }
    let mut add = |from: Key, to: Key, problems: Vec<String>| {
        if from == to {
            return;
        }
        let e = edges.entry((from, to)).or_insert((0, Vec::new()));
        e.0 += 1;
        for p in problems {
            if !e.1.contains(&p) {
                e.1.push(p);
            }
        }
    };
    for e in &g.edges {
        if e.is_test || !shown(e.from) {
            continue;
        }
        let problems: Vec<String> = arch
            .check_edge(&g, e.from, &e.to)
            .into_iter()
            .map(|v| format!("layer-violation: {}", v.message))
            .collect();
        let from = node_of(e.from);
        match &e.to {
            EdgeTarget::Module(t) => {
                if !shown(*t) {
                    continue;
                }
                let to = node_of(*t);
                let mut problems = problems;
                if let Some(c) = cycle_pairs.get(&(cycle_node(e.from), cycle_node(*t))) {
                    problems.push(c.clone());
                }
                add(Key::Module(from), Key::Module(to), problems);
            }
            EdgeTarget::External(name, _) => {
                // External crates only where a rule names them.
                if !problems.is_empty() {
                    add(Key::Module(from), Key::External(name.to_string()), problems);
                }
            }
        }
    }
    if crates {
        for ce in &g.crate_edges {
            let Some(from) = g
                .crates
                .iter()
                .find(|c| c.package == ce.package && c.kind == TargetKind::Lib)
                .or_else(|| g.crates.iter().find(|c| c.package == ce.package))
            else {
                continue;
            };
            let problems: Vec<String> = arch
                .check_crate_edge(&g, ce)
                .into_iter()
                .map(|v| format!("layer-violation (Cargo.toml): {}", v.message))
                .collect();
            match ce.to {
                Some(t) => add(
                    Key::Module(from.root),
                    Key::Module(g.crates[t].root),
                    problems,
                ),
                None if !problems.is_empty() => add(
                    Key::Module(from.root),
                    Key::External(ce.dep.clone()),
                    problems,
                ),
                None => {}
            }
        }
    }
    for (a, b) in edges.keys() {
        nodes.insert(a.clone(), ());
        nodes.insert(b.clone(), ());
    }
    // Focus: the matching nodes and their neighbours.
    let keep: Option<Vec<Key>> = focus.map(|p| {
        let hit = |k: &Key| match k {
            Key::Module(m) => g.pattern_matches(p, *m).is_some(),
            Key::External(n) => p.crate_name() == Some(n.as_str()),
        };
        let mut keep: Vec<Key> = nodes.keys().filter(|k| hit(k)).cloned().collect();
        for (a, b) in edges.keys() {
            if hit(a) || hit(b) {
                keep.push(a.clone());
                keep.push(b.clone());
            }
        }
        keep.sort();
        keep.dedup();
        keep
    });
    if let (Some(keep), Some(p)) = (&keep, focus) {
        if keep.is_empty() {
            return Err(format!(
                "--focus `{}` matches no module of the workspace",
                p.text
            ));
        }
        nodes.retain(|k, _| keep.contains(k));
        edges.retain(|(a, b), _| keep.contains(a) && keep.contains(b));
        notes.push(format!("focused on `{}`: {} node(s)", p.text, nodes.len()));
    }
    let mut view = View {
        layers: arch.layers.iter().map(|l| l.name.clone()).collect(),
        notes,
        ..View::default()
    };
    let mut index: HashMap<Key, usize> = HashMap::new();
    let mut keys: Vec<Key> = nodes.into_keys().collect();
    let name_of = |k: &Key| match k {
        Key::Module(m) => g.name(*m),
        Key::External(n) => n.clone(),
    };
    keys.sort_by_key(|k| name_of(k));
    for k in keys {
        let (layer, external) = match &k {
            Key::Module(m) => (arch.layer_of(&g, *m), false),
            Key::External(n) => (
                arch.layers.iter().position(|l| {
                    l.patterns
                        .iter()
                        .any(|p| p.is_crate_only() && p.crate_name() == Some(n))
                }),
                true,
            ),
        };
        index.insert(k.clone(), view.nodes.len());
        view.nodes.push(ViewNode {
            name: name_of(&k),
            layer,
            external,
        });
    }
    for ((a, b), (count, problems)) in edges {
        view.edges.push(ViewEdge {
            from: index[&a],
            to: index[&b],
            count,
            problems,
        });
    }
    view.edges.sort_by_key(|e| (e.from, e.to));
    Ok(view)
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Graphviz DOT.
pub fn dot(v: &View) -> String {
    let mut s = String::from("digraph modules {\n  rankdir=TB;\n  compound=true;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f5f7fa\", fontname=\"Helvetica\", fontsize=11];\n  edge [color=\"#6b7280\", arrowsize=0.7];\n");
    let node_line = |s: &mut String, i: usize, n: &ViewNode, indent: &str| {
        let _ = writeln!(
            s,
            "{indent}n{i} [label=\"{}\"{}];",
            dot_escape(&n.name),
            if n.external {
                ", style=\"dashed\", fillcolor=\"white\""
            } else {
                ""
            }
        );
    };
    for (li, name) in v.layers.iter().enumerate() {
        let members: Vec<usize> = (0..v.nodes.len())
            .filter(|&i| v.nodes[i].layer == Some(li))
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  subgraph cluster_{li} {{\n    label=\"layer {}\";\n    style=\"rounded\";\n    color=\"#94a3b8\";",
            dot_escape(name)
        );
        for i in members {
            node_line(&mut s, i, &v.nodes[i], "    ");
        }
        s.push_str("  }\n");
    }
    for (i, n) in v.nodes.iter().enumerate() {
        if n.layer.is_none() {
            node_line(&mut s, i, n, "  ");
        }
    }
    for e in &v.edges {
        let mut attrs = Vec::new();
        if e.count > 1 {
            attrs.push(format!(
                "penwidth={:.1}",
                1.0 + (e.count as f64).log2().min(4.0) * 0.5
            ));
        }
        if !e.problems.is_empty() {
            attrs.push("color=\"#dc2626\"".into());
            attrs.push("fontcolor=\"#dc2626\"".into());
            attrs.push(format!(
                "tooltip=\"{}\"",
                dot_escape(&e.problems.join("\n"))
            ));
        }
        let _ = writeln!(
            s,
            "  n{} -> n{}{};",
            e.from,
            e.to,
            if attrs.is_empty() {
                String::new()
            } else {
                format!(" [{}]", attrs.join(", "))
            }
        );
    }
    s.push_str("}\n");
    s
}

fn mermaid_escape(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// Mermaid flowchart (renders in GitHub markdown).
pub fn mermaid(v: &View) -> String {
    let mut s = String::from("flowchart TD\n");
    for (li, name) in v.layers.iter().enumerate() {
        let members: Vec<usize> = (0..v.nodes.len())
            .filter(|&i| v.nodes[i].layer == Some(li))
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  subgraph layer_{li}[\"layer {}\"]",
            mermaid_escape(name)
        );
        for i in members {
            let _ = writeln!(s, "    n{i}[\"{}\"]", mermaid_escape(&v.nodes[i].name));
        }
        s.push_str("  end\n");
    }
    for (i, n) in v.nodes.iter().enumerate() {
        if n.layer.is_none() {
            let _ = writeln!(s, "  n{i}[\"{}\"]", mermaid_escape(&n.name));
        }
    }
    let mut red = Vec::new();
    for (k, e) in v.edges.iter().enumerate() {
        let _ = writeln!(s, "  n{} --> n{}", e.from, e.to);
        if !e.problems.is_empty() {
            red.push(k.to_string());
        }
    }
    if !red.is_empty() {
        let _ = writeln!(
            s,
            "  linkStyle {} stroke:#dc2626,stroke-width:2px",
            red.join(",")
        );
    }
    s
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A simple layered layout: one band per layer (top to bottom, unlayered last), and inside a
/// band, rows by the longest dependency path so that edges mostly point down.
/// Node positions, layer bands `(layer, top, height)`, and the picture's width and height.
type Layout = (Vec<(f64, f64)>, Vec<(usize, f64, f64)>, f64, f64);

fn layout(v: &View) -> Layout {
    let n = v.nodes.len();
    // Longest-path rank over the graph with back edges (of a DFS) removed.
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &v.edges {
        adj[e.from].push(e.to);
    }
    let mut state = vec![0u8; n];
    let mut order = Vec::new();
    let mut dag: Vec<Vec<usize>> = vec![Vec::new(); n];
    for r in 0..n {
        if state[r] != 0 {
            continue;
        }
        let mut stack = vec![(r, 0usize)];
        state[r] = 1;
        while let Some(&mut (x, ref mut i)) = stack.last_mut() {
            if *i < adj[x].len() {
                let y = adj[x][*i];
                *i += 1;
                match state[y] {
                    0 => {
                        state[y] = 1;
                        dag[x].push(y);
                        stack.push((y, 0));
                    }
                    2 => dag[x].push(y),
                    _ => {}
                }
            } else {
                state[x] = 2;
                order.push(x);
                stack.pop();
            }
        }
    }
    let mut rank = vec![0usize; n];
    for &x in order.iter().rev() {
        for &y in &dag[x] {
            rank[y] = rank[y].max(rank[x] + 1);
        }
    }
    let band_of = |i: usize| v.nodes[i].layer.unwrap_or(v.layers.len());
    let (w, h, gap_x, gap_y) = (NODE_W, NODE_H, 24.0, 34.0);
    let max_per_row = 5usize;
    let mut pos = vec![(0.0, 0.0); n];
    let mut bands = Vec::new();
    let mut y = 40.0;
    let mut width: f64 = 600.0;
    for b in 0..=v.layers.len() {
        let mut members: Vec<usize> = (0..n).filter(|&i| band_of(i) == b).collect();
        if members.is_empty() {
            continue;
        }
        let top = y;
        members.sort_by_key(|&i| (rank[i], v.nodes[i].name.clone()));
        // Rows: by rank, wrapped at max_per_row.
        let mut rows: Vec<Vec<usize>> = Vec::new();
        let mut last_rank = None;
        for i in members {
            let new_row =
                rows.last().is_none_or(|r| r.len() >= max_per_row) || last_rank != Some(rank[i]);
            if new_row {
                rows.push(Vec::new());
            }
            rows.last_mut().unwrap().push(i);
            last_rank = Some(rank[i]);
        }
        // Merge small consecutive rows to keep bands compact.
        let mut merged: Vec<Vec<usize>> = Vec::new();
        for r in rows {
            match merged.last_mut() {
                Some(m) if m.len() + r.len() <= max_per_row && r.len() <= 2 && m.len() <= 2 => {
                    m.extend(r)
                }
                _ => merged.push(r),
            }
        }
        y += 28.0;
        for r in &merged {
            for (k, &i) in r.iter().enumerate() {
                pos[i] = (30.0 + k as f64 * (w + gap_x), y);
            }
            width = width.max(30.0 + r.len() as f64 * (w + gap_x) + 10.0);
            y += h + gap_y;
        }
        bands.push((b, top, y - top));
        y += 14.0;
    }
    (pos, bands, width, y + 10.0)
}

/// A self-contained HTML page: inline SVG, CSS and a little script (hover to highlight), no
/// network.
pub fn html(v: &View) -> String {
    let (pos, bands, width, height) = layout(v);
    let (w, h) = (NODE_W, NODE_H);
    let problems: usize = v.edges.iter().filter(|e| !e.problems.is_empty()).count();
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg id=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\">\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#6b7280\"/></marker><marker id=\"arrow-red\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#dc2626\"/></marker></defs>\n"
    );
    for (b, top, bh) in &bands {
        let label = v
            .layers
            .get(*b)
            .map_or("no layer".to_string(), |l| format!("layer {l}"));
        let _ = writeln!(
            svg,
            "<g class=\"band\"><rect x=\"10\" y=\"{top:.0}\" width=\"{:.0}\" height=\"{bh:.0}\" rx=\"8\"/><text x=\"20\" y=\"{:.0}\">{}</text></g>",
            width - 20.0,
            top + 18.0,
            html_escape(&label)
        );
    }
    // Edges first, nodes on top.
    for (k, e) in v.edges.iter().enumerate() {
        let (fx, fy) = pos[e.from];
        let (tx, ty) = pos[e.to];
        let d = if (fy - ty).abs() < 1.0 {
            // Same row: an arc above (left to right) or below (right to left).
            let (y, c) = if fx < tx {
                (fy, fy - 28.0)
            } else {
                (fy + h, fy + h + 28.0)
            };
            let (x1, x2) = (fx + w / 2.0, tx + w / 2.0);
            format!("M{x1:.1},{y:.1} C{x1:.1},{c:.1} {x2:.1},{c:.1} {x2:.1},{y:.1}")
        } else {
            let (x1, x2) = (fx + w / 2.0, tx + w / 2.0);
            // Downward edges leave from the bottom; upward ones from the top.
            let (y1, y2) = if ty > fy { (fy + h, ty) } else { (fy, ty + h) };
            let dy = ((y2 - y1).abs() / 2.0).max(30.0);
            let (c1, c2) = if y2 >= y1 {
                (y1 + dy, y2 - dy)
            } else {
                (y1 - dy, y2 + dy)
            };
            format!("M{x1:.1},{y1:.1} C{x1:.1},{c1:.1} {x2:.1},{c2:.1} {x2:.1},{y2:.1}")
        };
        let bad = !e.problems.is_empty();
        let title = if bad {
            e.problems.join("\n")
        } else {
            format!(
                "{} -> {} ({} use(s)/path(s))",
                v.nodes[e.from].name, v.nodes[e.to].name, e.count
            )
        };
        let _ = writeln!(
            svg,
            "<g class=\"edge{}\" data-from=\"{}\" data-to=\"{}\" id=\"e{k}\"><title>{}</title><path d=\"{d}\" marker-end=\"url(#{})\"/></g>",
            if bad { " bad" } else { "" },
            e.from,
            e.to,
            html_escape(&title),
            if bad { "arrow-red" } else { "arrow" }
        );
    }
    for (i, n) in v.nodes.iter().enumerate() {
        let (x, y) = pos[i];
        let bad = v
            .edges
            .iter()
            .any(|e| (e.from == i || e.to == i) && !e.problems.is_empty());
        let label = if n.name.chars().count() > 34 {
            let tail: String = n
                .name
                .chars()
                .rev()
                .take(33)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("…{tail}")
        } else {
            n.name.clone()
        };
        let layer = n
            .layer
            .and_then(|l| v.layers.get(l))
            .map_or("no layer".into(), |l| format!("layer {l}"));
        let _ = writeln!(
            svg,
            "<g class=\"node{}{}\" data-id=\"{i}\" data-name=\"{}\"><title>{} ({})</title><rect x=\"{x:.0}\" y=\"{y:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" rx=\"6\"/><text x=\"{:.0}\" y=\"{:.0}\">{}</text></g>",
            if bad { " bad" } else { "" },
            if n.external { " external" } else { "" },
            html_escape(&n.name),
            html_escape(&n.name),
            html_escape(&layer),
            x + w / 2.0,
            y + h / 2.0 + 4.0,
            html_escape(&label)
        );
    }
    svg.push_str("</svg>");
    let mut all: Vec<&String> = v.edges.iter().flat_map(|e| &e.problems).collect();
    all.sort();
    all.dedup();
    let list: String = all
        .iter()
        .map(|p| format!("<li>{}</li>\n", html_escape(p)))
        .collect();
    let notes: String = v
        .notes
        .iter()
        .map(|n| format!("<p class=\"note\">{}</p>", html_escape(n)))
        .collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>boundary-lsp: module graph</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 16px; color: #111827; background: #fff; }}
h1 {{ font-size: 18px; margin: 0 0 4px; }}
.summary {{ color: #4b5563; margin: 0 0 8px; font-size: 13px; }}
.note {{ color: #92400e; font-size: 13px; margin: 2px 0; }}
.band rect {{ fill: #f8fafc; stroke: #cbd5e1; }}
.band text {{ font-size: 12px; fill: #475569; font-weight: 600; }}
.node rect {{ fill: #eef2ff; stroke: #6366f1; }}
.node.external rect {{ fill: #fff; stroke-dasharray: 4 3; }}
.node.bad rect {{ stroke: #dc2626; stroke-width: 2; }}
.node text {{ font-size: 12px; text-anchor: middle; fill: #111827; pointer-events: none; }}
.edge path {{ fill: none; stroke: #9ca3af; stroke-width: 1.3; }}
.edge.bad path {{ stroke: #dc2626; stroke-width: 2.4; }}
.edge:hover path {{ stroke-width: 4; }}
.dim {{ opacity: 0.15; }}
ul.problems {{ color: #b91c1c; font-size: 13px; }}
</style>
</head>
<body data-nodes="{nodes}" data-edges="{edges}" data-problems="{problems}">
<h1>Module graph</h1>
<p class="summary">{nodes} node(s), {edges} edge(s), {problems} edge(s) breaking a rule (red; hover an edge for the rule). Hover a node to highlight its dependencies.</p>
{notes}
{svg}
<ul class="problems">
{list}</ul>
<script>
(function () {{
  var svg = document.getElementById('graph');
  var edges = Array.prototype.slice.call(svg.querySelectorAll('g.edge'));
  var nodes = Array.prototype.slice.call(svg.querySelectorAll('g.node'));
  nodes.forEach(function (n) {{
    var id = n.getAttribute('data-id');
    n.addEventListener('mouseenter', function () {{
      var near = {{}};
      near[id] = true;
      edges.forEach(function (e) {{
        var hit = e.getAttribute('data-from') === id || e.getAttribute('data-to') === id;
        if (hit) {{ near[e.getAttribute('data-from')] = true; near[e.getAttribute('data-to')] = true; }}
        e.classList.toggle('dim', !hit);
      }});
      nodes.forEach(function (m) {{ m.classList.toggle('dim', !near[m.getAttribute('data-id')]); }});
    }});
    n.addEventListener('mouseleave', function () {{
      edges.concat(nodes).forEach(function (x) {{ x.classList.remove('dim'); }});
    }});
  }});
  document.body.setAttribute('data-rendered', String(nodes.length));
}})();
</script>
</body>
</html>
"#,
        nodes = v.nodes.len(),
        edges = v.edges.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fixture::{analyse, parse_fixture};

    fn view(
        config: &str,
        fixture: &str,
        crates: bool,
        depth: Option<usize>,
        focus: Option<&str>,
    ) -> View {
        let (_dir, a) = analyse("layer-violation", config, &parse_fixture(fixture).0);
        let cfg = Config::parse(
            config,
            std::path::Path::new("boundary.toml"),
            &crate::analysis::rules::metas(),
        )
        .unwrap();
        let focus = focus.map(|f| ModulePattern::parse(f).unwrap());
        build_view(&a.workspace, &cfg, crates, depth, focus.as_ref()).unwrap()
    }

    const FIXTURE: &str = r#"
//- /src/lib.rs
pub mod cli;
pub mod domain;
//- /src/cli/mod.rs
pub mod args;
use crate::domain::Item;
//- /src/cli/args.rs
use crate::domain::model::make;
//- /src/domain/mod.rs
pub mod model;
pub struct Item;
use crate::cli::args;
//- /src/domain/model.rs
pub fn make() {}
"#;
    const LAYERS: &str = "[[layers]]\nname = \"app\"\nmodules = [\"crate::cli\"]\n[[layers]]\nname = \"core\"\nmodules = [\"crate::domain\"]\n";

    #[test]
    fn modules_edges_layers_and_problems() {
        let v = view(LAYERS, FIXTURE, false, None, None);
        let names: Vec<&str> = v.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "fixture",
                "fixture::cli",
                "fixture::cli::args",
                "fixture::domain",
                "fixture::domain::model"
            ]
        );
        let layers: Vec<Option<usize>> = v.nodes.iter().map(|n| n.layer).collect();
        assert_eq!(layers, [None, Some(0), Some(0), Some(1), Some(1)]);
        let edges: Vec<(usize, usize, usize, usize)> = v
            .edges
            .iter()
            .map(|e| (e.from, e.to, e.count, e.problems.len()))
            .collect();
        // cli -> domain, args -> model, domain -> args (violation + cycle at depth 1).
        assert_eq!(edges, [(1, 3, 1, 1), (2, 4, 1, 1), (3, 2, 1, 2)]);
        assert!(v.edges[2].problems[0].starts_with("layer-violation: layer violation: `fixture::domain` (layer `core`) uses `fixture::cli::args`"));
        assert_eq!(
            v.edges[2].problems[1],
            "module-cycle: fixture::cli -> fixture::domain -> fixture::cli"
        );
        let dot = dot(&v);
        assert!(
            dot.contains("subgraph cluster_0 {\n    label=\"layer app\";"),
            "{dot}"
        );
        assert!(dot.contains("  n3 -> n2 [color=\"#dc2626\""), "{dot}");
        let m = mermaid(&v);
        assert!(m.contains("  subgraph layer_1[\"layer core\"]\n    n3[\"fixture::domain\"]\n    n4[\"fixture::domain::model\"]\n  end\n"), "{m}");
        assert!(
            m.ends_with("  linkStyle 0,1,2 stroke:#dc2626,stroke-width:2px\n"),
            "{m}"
        );
        let h = html(&v);
        assert_eq!(h.matches("<g class=\"node").count(), 5);
        assert_eq!(h.matches("<g class=\"edge bad\"").count(), 3);
    }

    #[test]
    fn depth_crates_and_focus() {
        let v = view(LAYERS, FIXTURE, false, Some(1), None);
        let names: Vec<&str> = v.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["fixture", "fixture::cli", "fixture::domain"]);
        let edges: Vec<(usize, usize, usize)> =
            v.edges.iter().map(|e| (e.from, e.to, e.count)).collect();
        assert_eq!(edges, [(1, 2, 2), (2, 1, 1)]);
        let v = view(LAYERS, FIXTURE, true, None, None);
        assert_eq!(v.nodes.len(), 1);
        assert!(v.edges.is_empty());
        let v = view(LAYERS, FIXTURE, false, None, Some("crate::domain::model"));
        let names: Vec<&str> = v.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["fixture::cli::args", "fixture::domain::model"]);
    }

    #[test]
    fn large_graphs_collapse() {
        let mut fixture = String::from("//- /src/lib.rs\n");
        for i in 0..10 {
            fixture.push_str(&format!("pub mod m{i} {{\n"));
            for j in 0..10 {
                fixture.push_str(&format!(
                    "  pub mod s{j} {{ pub fn f() {{ crate::m{}::s{j}::f(); }} }}\n",
                    (i + 1) % 10
                ));
            }
            fixture.push_str("}\n");
        }
        let v = view("", &fixture, false, None, None);
        assert_eq!(v.nodes.len(), 11, "{:?}", v.notes);
        assert_eq!(v.notes, ["111 modules collapsed to depth 1 (11 nodes); use --depth or --focus for more detail"]);
        let v = view("", &fixture, false, Some(2), None);
        assert_eq!(v.nodes.len(), 111);
    }
}
