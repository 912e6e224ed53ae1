//! End-to-end reliability tests of `check` (issue 10): untrusted repositories run nothing,
//! `--fix` writes only the files it fixes and never through a symlink or out of the workspace,
//! and broken workspaces (symlink loops, FIFOs, non-UTF-8 files and names, unreadable config
//! and manifests) give clear messages instead of crashes or hangs.

use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Runs the binary with `args` in `cwd`, killed after 60 s (a hang is a failure).
fn run_with(cwd: &Path, args: &[&str], path_env: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_boundary-lsp"));
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(p) = path_env {
        cmd.env("PATH", p);
    }
    let child = cmd.spawn().unwrap();
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("boundary-lsp {args:?} hung for 60 s in {}", cwd.display());
        }
    }
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    run_with(cwd, args, None)
}

/// Exit code of `check`: 0 or 1 (findings), never 2 (error) nor a signal.
fn assert_ran(o: &Output) {
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "check failed with {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status,
        stdout(o),
        stderr(o)
    );
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
}

/// A command that, if anything ever runs it, leaves a marker file in `markers`.
fn trap(markers: &Path, name: &str) -> String {
    format!(
        "#!/bin/sh\necho \"$0 $*\" > '{}/{name}'\n",
        markers.display()
    )
}

/// Nothing in a workspace is executed: not `build.rs`, not proc macros, not cargo (with its
/// config's `rustc-wrapper`, runners, aliases), not rustup toolchains, and no command looked up
/// on `$PATH` (every usual tool on `$PATH` is a trap that leaves a marker).
#[test]
fn untrusted_workspace_runs_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let markers = tmp.path().join("markers");
    let bin = tmp.path().join("bin");
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&markers).unwrap();
    std::fs::create_dir_all(&bin).unwrap();
    let m = markers.display().to_string();
    let exe = |p: &Path| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    for tool in [
        "cargo",
        "rustc",
        "rustup",
        "rustfmt",
        "rust-analyzer",
        "clippy-driver",
        "git",
        "sh",
        "bash",
        "cc",
        "gcc",
        "make",
        "python3",
        "touch",
        "env",
    ] {
        let p = bin.join(tool);
        std::fs::write(&p, trap(&markers, &format!("path-{tool}"))).unwrap();
        exe(&p);
    }
    write(
        &ws,
        "Cargo.toml",
        "[package]\nname = \"evil\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n\n\
         [lib]\nproc-macro = true\n\n[package.metadata.boundary]\ncommand = \"touch x\"\n",
    );
    write(
        &ws,
        "build.rs",
        &format!(
            "fn main() {{\n    std::fs::write(\"{m}/build-rs\", \"\").unwrap();\n    \
             std::process::Command::new(\"touch\").arg(\"{m}/build-rs-cmd\").status().unwrap();\n}}\n"
        ),
    );
    write(
        &ws,
        "src/lib.rs",
        &format!(
            "extern crate proc_macro;\nuse proc_macro::TokenStream;\n\n\
             #[proc_macro]\npub fn evil(input: TokenStream) -> TokenStream {{\n    \
             std::fs::write(\"{m}/proc-macro\", \"\").unwrap();\n    input\n}}\n\n\
             pub static mut COUNTER: u32 = 0;\n"
        ),
    );
    let wrapper = ws.join("wrapper.sh");
    std::fs::write(&wrapper, trap(&markers, "rustc-wrapper")).unwrap();
    exe(&wrapper);
    write(
        &ws,
        ".cargo/config.toml",
        &format!(
            "[build]\nrustc-wrapper = \"{w}\"\nrustc = \"{w}\"\n\n\
             [target.x86_64-unknown-linux-gnu]\nrunner = \"{w}\"\nlinker = \"{w}\"\n\n\
             [alias]\ncheck = \"run --bin evil\"\n\n[env]\nRUSTC_WRAPPER = \"{w}\"\n",
            w = wrapper.display()
        ),
    );
    write(
        &ws,
        "rust-toolchain.toml",
        "[toolchain]\nchannel = \"evil-toolchain\"\n",
    );
    // boundary.toml has no command keys at all; strings that look like commands stay strings.
    write(
        &ws,
        "boundary.toml",
        &format!("docs-url = \"$(touch {m}/config-docs-url)/\"\nexclude = [\"`touch {m}/config-exclude`\"]\n"),
    );
    let path_env = bin.display().to_string();
    for args in [
        vec!["check", "."],
        vec!["check", ".", "--format", "json"],
        vec!["check", ".", "--format", "sarif"],
        vec!["check", ".", "--fix", "--unsafe-fixes"],
        vec!["check", "src/lib.rs"],
        vec!["rules"],
    ] {
        let o = run_with(&ws, &args, Some(&path_env));
        assert_ran(&o);
        if args.len() > 1 && args[1] == "." && args.len() == 2 {
            assert!(stdout(&o).contains("static-mut"), "{}", stdout(&o));
        }
    }
    let ran: Vec<_> = std::fs::read_dir(&markers)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(ran.is_empty(), "something was executed: {ran:?}");
}

/// A workspace with one fixable file and others that are not.
fn fix_workspace(root: &Path) {
    write(
        root,
        "Cargo.toml",
        "[package]\nname = \"w\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(root, "src/lib.rs", "pub mod fixable;\npub mod clean;\n");
    write(
        root,
        "src/fixable.rs",
        "pub fn len(name: &String) -> usize {\n    name.len()\n}\n",
    );
    write(
        root,
        "src/clean.rs",
        "pub fn len(name: &str) -> usize {\n    name.len()\n}\n",
    );
}

const FIX_RULES: &str = "borrowed-owned-param";

fn set_old_mtime(p: &Path) -> SystemTime {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(946_684_800);
    std::fs::File::options()
        .write(true)
        .open(p)
        .unwrap()
        .set_modified(old)
        .unwrap();
    old
}

fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            out.extend(listing(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out.sort();
    out
}

/// `--fix` rewrites the fixed file only: other files keep their bytes and mtimes, no
/// temporary file is left behind, and the fixed file keeps its permissions.
#[test]
fn fix_writes_only_fixed_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fix_workspace(root);
    std::fs::set_permissions(
        root.join("src/fixable.rs"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let before = listing(root);
    let old = before
        .iter()
        .map(|p| (p.clone(), set_old_mtime(p)))
        .collect::<Vec<_>>();
    let o = run(root, &["check", "--select", FIX_RULES, "--fix"]);
    assert_ran(&o);
    assert!(
        stderr(&o).contains("fixed 1 finding(s) in 1 file(s)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(listing(root), before, "files appeared or vanished");
    for (p, t) in old {
        let now = std::fs::metadata(&p).unwrap().modified().unwrap();
        if p.ends_with("src/fixable.rs") {
            assert_ne!(now, t, "the fixed file was not written");
        } else {
            assert_eq!(now, t, "{} was written", p.display());
        }
    }
    assert_eq!(
        std::fs::read_to_string(root.join("src/fixable.rs")).unwrap(),
        "pub fn len(name: &str) -> usize {\n    name.len()\n}\n"
    );
    let mode = std::fs::metadata(root.join("src/fixable.rs"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
}

/// A fixable file reached through a symlink (to a file outside the workspace, or inside it) is
/// never written; the workspace walk does not follow symlinks, and an explicit path to a
/// symlink is refused with a message.
#[test]
fn fix_never_writes_through_symlinks() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    let root = tmp.path().join("ws");
    fix_workspace(&root);
    let victim_text = "pub fn victim(name: &String) -> usize {\n    name.len()\n}\n";
    write(&outside, "victim.rs", victim_text);
    write(&outside, "dir/victim.rs", victim_text);
    symlink(outside.join("victim.rs"), root.join("src/linked.rs")).unwrap();
    symlink(outside.join("dir"), root.join("src/linked_dir")).unwrap();
    write(
        &root,
        "src/lib.rs",
        "pub mod fixable;\npub mod clean;\npub mod linked;\n",
    );
    let o = run(&root, &["check", "--select", FIX_RULES, "--fix"]);
    assert_ran(&o);
    assert_eq!(
        std::fs::read_to_string(outside.join("victim.rs")).unwrap(),
        victim_text
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("dir/victim.rs")).unwrap(),
        victim_text
    );
    assert!(std::fs::symlink_metadata(root.join("src/linked.rs"))
        .unwrap()
        .file_type()
        .is_symlink());
    // Asked explicitly for the symlink and for a file under the symlinked directory (the root
    // found from the real path would be the outside directory): refused.
    for target in ["src/linked.rs", "src/linked_dir/victim.rs"] {
        let o = run(&root, &["check", "--select", FIX_RULES, "--fix", target]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("--fix does not write there"),
            "{}",
            stderr(&o)
        );
        assert_eq!(
            std::fs::read_to_string(outside.join("victim.rs")).unwrap(),
            victim_text
        );
        assert_eq!(
            std::fs::read_to_string(outside.join("dir/victim.rs")).unwrap(),
            victim_text
        );
    }
}

/// Symlink loops, a FIFO named like a source file, non-UTF-8 contents and file names: `check`
/// finishes, reports what it could not read, and still analyses the rest.
#[test]
fn broken_workspace_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        root,
        "Cargo.toml",
        "[package]\nname = \"w\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(
        root,
        "src/lib.rs",
        "pub mod latin1;\npub static mut X: u32 = 0;\n",
    );
    std::fs::write(root.join("src/latin1.rs"), b"// caf\xe9\npub fn f() {}\n").unwrap();
    symlink(root.join("src"), root.join("src/loop")).unwrap();
    symlink(root.join("self_loop.rs"), root.join("self_loop.rs")).unwrap();
    symlink(root.join("b.rs"), root.join("a.rs")).unwrap();
    symlink(root.join("a.rs"), root.join("b.rs")).unwrap();
    symlink("/dev/zero", root.join("src/zero.rs")).unwrap();
    let fifo = root.join("src/fifo.rs");
    let ok = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(ok.success());
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"src/bad\xffname.rs");
        std::fs::write(root.join(name), "pub static mut Y: u32 = 0;\n").unwrap();
    }
    let o = run(
        root,
        &["check", "--select", "static-mut", "--format", "json"],
    );
    assert_ran(&o);
    let out = stdout(&o);
    assert!(out.contains("\"file\":\"src/lib.rs\""), "{out}");
    assert!(stderr(&o).contains("src/latin1.rs"), "{}", stderr(&o));
    assert!(stderr(&o).contains("not valid UTF-8"), "{}", stderr(&o));
    // Explicit paths to the odd files end cleanly too.
    for p in [
        "src/fifo.rs",
        "src/zero.rs",
        "self_loop.rs",
        "a.rs",
        "src/loop/lib.rs",
        "src/latin1.rs",
    ] {
        let o = run(root, &["check", "--select", "static-mut", p]);
        assert!(!stderr(&o).contains("panicked"), "{p}: {}", stderr(&o));
        assert!(o.status.code().is_some(), "{p}: killed by a signal");
    }
    // And --fix leaves the unreadable file alone.
    let o = run(root, &["check", "--select", "unused-suppression", "--fix"]);
    assert_ran(&o);
    assert_eq!(
        std::fs::read(root.join("src/latin1.rs")).unwrap(),
        b"// caf\xe9\npub fn f() {}\n"
    );
}

/// An unreadable `boundary.toml` (a directory; a file that is not UTF-8; a FIFO) is a clear
/// configuration error with exit code 2, never a crash or a hang.
#[test]
fn unreadable_config() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        root,
        "Cargo.toml",
        "[package]\nname = \"w\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(root, "src/lib.rs", "pub static mut X: u32 = 0;\n");
    std::fs::create_dir(root.join("boundary.toml")).unwrap();
    let o = run(root, &["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("boundary.toml"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    std::fs::remove_dir(root.join("boundary.toml")).unwrap();
    std::fs::write(root.join("boundary.toml"), b"check-tests = tru\xff\n").unwrap();
    let o = run(root, &["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not valid UTF-8"), "{}", stderr(&o));
    std::fs::remove_file(root.join("boundary.toml")).unwrap();
    let ok = Command::new("mkfifo")
        .arg(root.join("boundary.toml"))
        .status()
        .unwrap();
    assert!(ok.success());
    let o = run(root, &["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("boundary.toml"), "{}", stderr(&o));
}

/// A `Cargo.toml` that is a directory, not TOML, or not UTF-8: reported, and the sources are
/// still analysed as loose files.
#[test]
fn unreadable_manifests() {
    for manifest in [
        None,
        Some(&b"[package\nname = "[..]),
        Some(&b"[package]\nname = \"\xff\"\n"[..]),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(root, "src/lib.rs", "pub static mut X: u32 = 0;\n");
        match manifest {
            None => std::fs::create_dir(root.join("Cargo.toml")).unwrap(),
            Some(bytes) => std::fs::write(root.join("Cargo.toml"), bytes).unwrap(),
        }
        let o = run(root, &["check", "--select", "static-mut"]);
        assert_ran(&o);
        assert!(stdout(&o).contains("static-mut"), "{}", stdout(&o));
    }
}
