//! Hostile targets and hostile `spec/` folders in, the writers' verdicts out: each test lays out
//! the input that once made `gen`, `publish` or `corpus` lose data (issue 17) in a temporary copy
//! of the project, and checks that nothing outside the target changed and that the message names
//! the file. The real `spec/` and `generated/` are only ever read.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Barrier;
use std::time::Duration;

use crate::safe_output::{self, Leftovers, MANIFEST_FILE_NAME, TargetFolder};
use crate::spec_dir::{read_spec_sources, relative, walk};
use crate::{corpus, generate, publish};

/// A copy of the project's `spec/` and `generated/` in a temporary folder.
fn project_copy() -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("a temporary folder");
    let root = crate::project_root::for_tests();
    for folder in [codegen::load::SPEC_ROOT, codegen::GENERATED_ROOT] {
        for file in walk(&root.join(folder)).expect("readable") {
            let target = copy.path().join(relative(&root, &file));
            fs::create_dir_all(target.parent().expect("a parent")).expect("writable");
            fs::copy(&file, &target).expect("copied");
        }
    }
    copy
}

/// Every regular file below `dir` with its bytes, and every link with where it points.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("readable").path();
            let metadata = fs::symlink_metadata(&path).expect("readable");
            let key = relative(dir, &path);
            if metadata.file_type().is_symlink() {
                let destination = fs::read_link(&path).expect("a link");
                files.insert(
                    format!("{key} (link)"),
                    destination.to_string_lossy().into_owned().into_bytes(),
                );
            } else if metadata.is_dir() {
                files.insert(format!("{key}/"), Vec::new());
                pending.push(path);
            } else if metadata.is_file() {
                files.insert(key, fs::read(&path).expect("readable"));
            }
        }
    }
    files
}

fn publish_into(root: &Path, out_dir: &Path, force: bool) -> anyhow::Result<u8> {
    publish::run(
        root,
        publish::Args {
            out_dir: out_dir.to_path_buf(),
            force,
        },
    )
}

fn corpus_into(root: &Path, out_dir: &Path, force: bool) -> anyhow::Result<u8> {
    corpus::run(
        root,
        corpus::Args {
            out_dir: out_dir.to_path_buf(),
            force,
        },
    )
}

/// The error `result` holds, rendered with its context; fails the test when it succeeded.
fn refusal(result: anyhow::Result<u8>) -> String {
    match result {
        Err(error) => format!("{error:#}"),
        Ok(code) => panic!("expected a refusal, the command exited {code}"),
    }
}

#[cfg(unix)]
fn link(destination: &Path, at: &Path) {
    std::os::unix::fs::symlink(destination, at).expect("a link");
}

#[test]
fn data_built_path_segments_are_checked() {
    let cases: [(&str, bool); 16] = [
        ("crm", true),
        ("1.0.0", true),
        ("leads.create.request.json", true),
        ("ליד", true),
        ("", false),
        (".", false),
        ("..", false),
        ("a/b", false),
        ("a\\b", false),
        ("/etc", false),
        ("a\0b", false),
        ("\u{1b}]0;title\u{7}", false),
        (".hidden", false),
        ("c:", false),
        ("stream:name", false),
        (&"x".repeat(201), false),
    ];
    for (segment, safe) in cases {
        assert_eq!(
            safe_output::unsafe_segment_reason(segment).is_none(),
            safe,
            "segment {segment:?}"
        );
    }
    for path in [
        "../victim",
        "/tmp/victim",
        "crm//x",
        "crm/./x",
        "crm/../../x",
        "crm/",
    ] {
        assert!(
            safe_output::check_relative_path(path).is_err(),
            "`{path}` is accepted"
        );
    }
    assert!(safe_output::check_relative_path("crm/latest/openapi.json").is_ok());
}

#[test]
fn publish_refuses_a_tampered_catalog_whose_service_ids_leave_the_folder() {
    let project = project_copy();
    let place = tempfile::tempdir().expect("a temporary folder");
    let site = place.path().join("site");
    assert_eq!(publish_into(project.path(), &site, false).expect("runs"), 0);
    let absolute_victim = place.path().join("absolute-victim");
    for victim in [place.path().join("victim"), absolute_victim.clone()] {
        fs::create_dir_all(victim.join("latest")).expect("writable");
        fs::write(victim.join("latest/keep.json"), "{\"keep\": true}").expect("writable");
    }
    let catalog_path = site.join(codegen::emit_catalog::CATALOG_FILE_NAME);
    let published_catalog = fs::read_to_string(&catalog_path).expect("readable");
    for hostile_id in [
        "../victim".to_owned(),
        absolute_victim.to_string_lossy().into_owned(),
    ] {
        let mut catalog: serde_json::Value =
            serde_json::from_str(&published_catalog).expect("a catalog");
        let services = catalog["services"].as_array_mut().expect("services");
        let mut hostile = services[0].clone();
        hostile["id"] = serde_json::Value::String(hostile_id.clone());
        services.push(hostile);
        fs::write(&catalog_path, catalog.to_string()).expect("writable");
        let before = tree(place.path());

        let unforced = refusal(publish_into(project.path(), &site, false));
        assert!(unforced.contains("catalog.json"), "{unforced}");
        let forced = refusal(publish_into(project.path(), &site, true));
        assert!(forced.contains(&hostile_id), "{forced}");
        assert_eq!(
            tree(place.path()),
            before,
            "{hostile_id}: something changed"
        );
    }
}

#[test]
fn publish_never_overwrites_or_removes_a_persons_files() {
    let project = project_copy();
    let place = tempfile::tempdir().expect("a temporary folder");
    let site = place.path().join("site");
    fs::create_dir_all(site.join("crm/latest")).expect("writable");
    fs::write(site.join("index.html"), "<p>my own page</p>\n").expect("writable");
    fs::write(site.join("crm/latest/NOTES.txt"), "my notes\n").expect("writable");
    let before = tree(&site);

    let unforced = refusal(publish_into(project.path(), &site, false));
    assert!(unforced.contains("is not empty"), "{unforced}");
    assert_eq!(tree(&site), before, "a refused publish wrote");

    fs::remove_file(site.join("index.html")).expect("removable");
    assert_eq!(publish_into(project.path(), &site, true).expect("runs"), 0);
    assert!(site.join(MANIFEST_FILE_NAME).is_file());
    assert_eq!(publish_into(project.path(), &site, false).expect("runs"), 0);
    assert_eq!(
        fs::read(site.join("crm/latest/NOTES.txt")).expect("kept"),
        b"my notes\n",
        "a file publish did not write is never removed"
    );

    fs::write(site.join("index.html"), "<p>edited by a person</p>\n").expect("writable");
    let edited = refusal(publish_into(project.path(), &site, false));
    assert!(
        edited.contains("index.html") && edited.contains("changed since"),
        "{edited}"
    );
    assert_eq!(
        fs::read(site.join("index.html")).expect("kept"),
        b"<p>edited by a person</p>\n"
    );

    let manifest_path = site.join(MANIFEST_FILE_NAME);
    let mut manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&manifest_path).expect("readable"))
            .expect("a manifest");
    manifest["files"]
        .as_object_mut()
        .expect("files")
        .remove("index.html")
        .expect("index.html was the site's");
    fs::write(&manifest_path, manifest.to_string()).expect("writable");
    let unowned = refusal(publish_into(project.path(), &site, false));
    assert!(
        unowned.contains("index.html") && unowned.contains("not this command's"),
        "{unowned}"
    );
    assert_eq!(
        fs::read(site.join("index.html")).expect("kept"),
        b"<p>edited by a person</p>\n"
    );
}

#[test]
fn publish_refuses_an_existing_version_with_other_bytes_even_without_a_catalog() {
    let project = project_copy();
    let place = tempfile::tempdir().expect("a temporary folder");
    let first = place.path().join("first");
    assert_eq!(
        publish_into(project.path(), &first, false).expect("runs"),
        0
    );
    let second = place.path().join("second");
    let version_files: Vec<PathBuf> = walk(&first.join("crm/1.0.0")).expect("readable");
    assert!(!version_files.is_empty(), "crm 1.0.0 was published");
    for (index, file) in version_files.iter().enumerate() {
        let target = second.join(relative(&first, file));
        fs::create_dir_all(target.parent().expect("a parent")).expect("writable");
        let mut bytes = fs::read(file).expect("readable");
        if index == 0 {
            bytes.extend_from_slice(b"\n");
        }
        fs::write(&target, bytes).expect("writable");
    }
    assert!(
        !second
            .join(codegen::emit_catalog::CATALOG_FILE_NAME)
            .exists()
    );
    let before = tree(&second);

    assert_eq!(
        publish_into(project.path(), &second, true).expect("runs"),
        1
    );
    assert_eq!(tree(&second), before);
}

#[cfg(unix)]
#[test]
fn corpus_never_writes_through_a_link_in_its_folder() {
    let project = project_copy();
    let place = tempfile::tempdir().expect("a temporary folder");
    let out = place.path().join("corpus");
    assert_eq!(corpus_into(project.path(), &out, false).expect("runs"), 0);
    let name = walk(&out.join("crm")).expect("readable")[0]
        .file_name()
        .expect("a name")
        .to_owned();
    let outside = place.path().join("outside");
    fs::create_dir_all(&outside).expect("writable");
    fs::write(outside.join(&name), "outside the corpus\n").expect("writable");

    fs::rename(out.join("crm"), place.path().join("moved")).expect("movable");
    link(&outside, &out.join("crm"));
    let folder_link = refusal(corpus_into(project.path(), &out, true));
    assert!(folder_link.contains("is a link"), "{folder_link}");
    assert_eq!(
        fs::read(outside.join(&name)).expect("kept"),
        b"outside the corpus\n"
    );

    fs::remove_file(out.join("crm")).expect("removable");
    fs::rename(place.path().join("moved"), out.join("crm")).expect("movable");
    fs::remove_file(out.join("crm").join(&name)).expect("removable");
    link(&outside.join(&name), &out.join("crm").join(&name));
    let file_link = refusal(corpus_into(project.path(), &out, false));
    assert!(file_link.contains("is a link"), "{file_link}");
    assert_eq!(corpus_into(project.path(), &out, true).expect("runs"), 0);
    assert!(
        fs::symlink_metadata(out.join("crm").join(&name))
            .expect("written")
            .is_file(),
        "the link itself is replaced"
    );
    assert_eq!(
        fs::read(outside.join(&name)).expect("kept"),
        b"outside the corpus\n"
    );
}

#[test]
fn writers_refuse_a_folder_inside_generated_or_spec_or_holding_them() {
    let project = project_copy();
    let root = project.path();
    let before = tree(root);
    #[cfg(unix)]
    let elsewhere = tempfile::tempdir().expect("a temporary folder");
    #[cfg_attr(not(unix), expect(unused_mut))]
    let mut targets = vec![
        root.join("generated/site"),
        root.join("generated"),
        root.join("spec/crm/corpus"),
        root.to_path_buf(),
    ];
    #[cfg(unix)]
    {
        let generated_by_another_name = elsewhere.path().join("site");
        link(&root.join("generated"), &generated_by_another_name);
        targets.push(generated_by_another_name);
    }
    for out in targets {
        let published = refusal(publish_into(root, &out, true));
        assert!(published.contains("generated/") || published.contains("spec/"));
        let corpus = refusal(corpus_into(root, &out, true));
        assert!(corpus.contains("generated/") || corpus.contains("spec/"));
    }
    assert_eq!(tree(root), before, "a refused writer created something");
}

#[test]
fn a_writer_removes_only_leftovers_it_wrote_and_a_person_did_not_change() {
    let place = tempfile::tempdir().expect("a temporary folder");
    let project = place.path().join("project");
    fs::create_dir_all(&project).expect("writable");
    let out = place.path().join("out");
    let files = |names: &[&str]| -> BTreeMap<String, Vec<u8>> {
        names
            .iter()
            .map(|name| (name.to_string(), format!("{name} contents").into_bytes()))
            .collect()
    };
    let leftovers = Leftovers::RemoveUnder(vec!["svc/latest".to_owned()]);
    let target = TargetFolder::open(&project, &out, "test", false).expect("opens");
    let plan = target
        .plan(
            &files(&[
                "svc/latest/a.json",
                "svc/latest/b.json",
                "svc/latest/c.json",
            ]),
            &leftovers,
        )
        .expect("plans");
    assert_eq!(target.apply(&plan).expect("writes"), 3);
    fs::write(out.join("svc/latest/NOTES.txt"), "mine").expect("writable");
    fs::write(out.join("svc/latest/c.json"), "changed by a person").expect("writable");

    let target = TargetFolder::open(&project, &out, "test", false).expect("opens");
    let plan = target
        .plan(&files(&["svc/latest/a.json"]), &leftovers)
        .expect("plans");
    target.apply(&plan).expect("writes");
    assert!(out.join("svc/latest/a.json").is_file());
    assert!(!out.join("svc/latest/b.json").exists(), "its own leftover");
    assert_eq!(
        fs::read(out.join("svc/latest/c.json")).expect("kept"),
        b"changed by a person"
    );
    assert_eq!(
        fs::read(out.join("svc/latest/NOTES.txt")).expect("kept"),
        b"mine"
    );

    let other_writer = TargetFolder::open(&project, &out, "other", false)
        .expect_err("another command's folder is refused");
    assert!(format!("{other_writer:#}").contains("cargo xtask test"));
}

/// Lays `arrange` over a copy of the project and checks that `gen` refuses it, the message
/// naming `expected` (the file and what is wrong), with `generated/` left byte for byte as it was.
fn check_gen_refuses(arrange: impl FnOnce(&Path), expected: &[&str]) {
    let project = project_copy();
    let root = project.path();
    arrange(root);
    let before = tree(&root.join(codegen::GENERATED_ROOT));
    let message = match read_spec_sources(root) {
        Err(error) => error.to_string(),
        Ok(sources) => match codegen::generate(&sources) {
            Err(codegen::GenerateError::Spec(errors)) => errors.render(),
            Err(error) => panic!("a generator bug: {error}"),
            Ok(_) => panic!("gen accepted it, expected a refusal naming {expected:?}"),
        },
    };
    for part in expected {
        assert!(message.contains(part), "`{part}` not in: {message}");
    }
    match generate::run(root, false) {
        Ok(code) => assert_eq!(code, 2, "{message}"),
        Err(error) => assert!(format!("{error:#}").contains(expected[0])),
    }
    assert_eq!(
        tree(&root.join(codegen::GENERATED_ROOT)),
        before,
        "generated/ changed"
    );
}

const A_SPEC: &str = "spec/crm/tickets.create.yaml";

#[cfg(unix)]
#[test]
fn gen_refuses_a_spec_that_is_a_link_out_of_the_project() {
    let outside = tempfile::tempdir().expect("a temporary folder");
    check_gen_refuses(
        |root| {
            let moved = outside.path().join("tickets.create.yaml");
            fs::rename(root.join(A_SPEC), &moved).expect("movable");
            link(&moved, &root.join(A_SPEC));
        },
        &[A_SPEC, "outside the project"],
    );
}

#[cfg(unix)]
#[test]
fn gen_refuses_a_spec_that_is_a_link_to_nothing() {
    check_gen_refuses(
        |root| {
            fs::remove_file(root.join(A_SPEC)).expect("removable");
            link(Path::new("gone.yaml"), &root.join(A_SPEC));
        },
        &[A_SPEC, "does not exist"],
    );
}

#[cfg(unix)]
#[test]
fn gen_refuses_a_spec_that_is_a_fifo() {
    check_gen_refuses(
        |root| {
            fs::remove_file(root.join(A_SPEC)).expect("removable");
            let made = std::process::Command::new("mkfifo")
                .arg(root.join(A_SPEC))
                .status()
                .expect("mkfifo runs");
            assert!(made.success());
        },
        &[A_SPEC, "FIFO"],
    );
}

#[test]
fn gen_refuses_a_folder_named_like_a_spec() {
    check_gen_refuses(
        |root| fs::create_dir(root.join("spec/crm/extra.create.yaml")).expect("writable"),
        &["spec/crm/extra.create.yaml", "folder named like a spec"],
    );
}

#[test]
fn gen_refuses_a_spec_whose_extension_is_not_lower_case() {
    check_gen_refuses(
        |root| {
            fs::rename(root.join(A_SPEC), root.join("spec/crm/tickets.create.YAML"))
                .expect("movable");
        },
        &["spec/crm/tickets.create.YAML", "`.YAML`"],
    );
}

#[test]
fn gen_refuses_a_spec_moved_into_a_subfolder() {
    check_gen_refuses(
        |root| {
            fs::create_dir(root.join("spec/crm/archive")).expect("writable");
            fs::rename(
                root.join(A_SPEC),
                root.join("spec/crm/archive/tickets.create.yaml"),
            )
            .expect("movable");
        },
        &["spec/crm/archive/tickets.create.yaml", "subfolder"],
    );
}

#[test]
fn gen_refuses_a_spec_with_a_byte_order_mark_saying_so() {
    check_gen_refuses(
        |root| {
            let mut bytes = "\u{feff}".as_bytes().to_vec();
            bytes.extend(fs::read(root.join(A_SPEC)).expect("readable"));
            fs::write(root.join(A_SPEC), bytes).expect("writable");
        },
        &[&format!("{A_SPEC}:1:1"), "byte order mark"],
    );
}

#[cfg(unix)]
#[test]
fn gen_reads_a_spec_and_an_example_that_are_links_inside_the_project() {
    let project = project_copy();
    let root = project.path();
    let example = walk(&root.join("spec/crm/examples")).expect("readable")[0].clone();
    let shared = root.join("shared");
    fs::create_dir(&shared).expect("writable");
    for file in [root.join(A_SPEC), example] {
        let moved = shared.join(file.file_name().expect("a name"));
        fs::rename(&file, &moved).expect("movable");
        link(&moved, &file);
    }
    assert_eq!(
        generate::run(root, true).expect("runs"),
        0,
        "the linked spec and example are read as before"
    );
}

#[test]
fn gen_leaves_a_file_it_did_not_write_in_generated_alone() {
    let project = project_copy();
    let root = project.path();
    fs::write(root.join("generated/NOTES.md"), "mine\n").expect("writable");
    assert_eq!(generate::run(root, false).expect("runs"), 0);
    assert_eq!(
        fs::read(root.join("generated/NOTES.md")).expect("kept"),
        b"mine\n"
    );
    assert_eq!(
        generate::run(root, true).expect("runs"),
        1,
        "--check flags it"
    );
}

#[cfg(unix)]
#[test]
fn gen_never_writes_through_a_link_in_generated() {
    let project = project_copy();
    let root = project.path();
    let outside = tempfile::tempdir().expect("a temporary folder");
    let schemas = outside.path().join("schemas");
    fs::rename(root.join("generated/schemas"), &schemas).expect("movable");
    fs::remove_file(schemas.join("catalog.json")).expect("removable");
    link(&schemas, &root.join("generated/schemas"));
    let before = tree(outside.path());

    let message = refusal(generate::run(root, false));
    assert!(
        message.contains("generated/schemas") && message.contains("is a link"),
        "{message}"
    );
    assert_eq!(tree(outside.path()), before);
}

#[test]
fn gen_makes_generated_in_a_project_that_has_none() {
    let project = project_copy();
    let root = project.path();
    fs::remove_dir_all(root.join("generated")).expect("removable");
    let written = generate::run(root, false).expect("runs");
    assert_eq!(written, 0, "gen succeeds");
    assert!(root.join("generated/Cargo.toml").is_file());
    assert_eq!(
        generate::run(root, true).expect("runs"),
        0,
        "and is up to date"
    );
}

#[cfg(unix)]
#[test]
fn gen_never_writes_through_generated_itself_being_a_link() {
    let project = project_copy();
    let root = project.path();
    let outside = tempfile::tempdir().expect("a temporary folder");
    let moved = outside.path().join("generated");
    fs::rename(root.join("generated"), &moved).expect("movable");
    fs::remove_file(moved.join("src/crm/mod.rs")).expect("removable");
    link(&moved, &root.join("generated"));
    let before = tree(outside.path());

    let message = refusal(generate::run(root, false));
    assert!(message.contains("is a link"), "{message}");
    assert_eq!(tree(outside.path()), before);
}

/// The same, when the only change would be removing an extra file: nothing outside the project
/// is listed, let alone removed.
#[cfg(unix)]
#[test]
fn gen_never_removes_through_generated_itself_being_a_link() {
    let project = project_copy();
    let root = project.path();
    let outside = tempfile::tempdir().expect("a temporary folder");
    let moved = outside.path().join("generated");
    fs::rename(root.join("generated"), &moved).expect("movable");
    fs::write(
        moved.join("src/extra_file.rs"),
        "// @generated by `cargo xtask gen` from spec/; do not edit by hand\n",
    )
    .expect("writable");
    link(&moved, &root.join("generated"));
    let before = tree(outside.path());

    for check in [true, false] {
        let message = refusal(generate::run(root, check));
        assert!(message.contains("is a link"), "{message}");
    }
    assert_eq!(tree(outside.path()), before);
}

#[test]
fn two_gen_runs_at_once_both_succeed() {
    let project = project_copy();
    let root = project.path();
    fs::remove_file(root.join("generated/src/crm/mod.rs")).expect("removable");
    let start = Barrier::new(2);
    let codes: Vec<u8> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    generate::run(root, false).expect("runs")
                })
            })
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("no panic"))
            .collect()
    });
    assert_eq!(codes, [0, 0]);
    assert_eq!(generate::run(root, true).expect("runs"), 0);
}

#[test]
fn a_gen_run_waits_for_the_lock_and_fails_clearly_after_the_bound() {
    let project = project_copy();
    let root = project.path();
    fs::remove_file(root.join("generated/src/crm/mod.rs")).expect("removable");
    let before = tree(&root.join(codegen::GENERATED_ROOT));
    let held = fs::File::create(root.join(generate::GEN_LOCK_FILE_NAME)).expect("writable");
    held.lock().expect("locked");

    let message = refusal(generate::run_waiting_at_most(
        root,
        false,
        Duration::from_millis(300),
    ));
    assert!(
        message.contains("another `cargo xtask gen` run"),
        "{message}"
    );
    assert_eq!(tree(&root.join(codegen::GENERATED_ROOT)), before);

    drop(held);
    assert_eq!(generate::run(root, false).expect("runs"), 0);
    assert!(root.join("generated/src/crm/mod.rs").is_file());
}

/// `gen`'s last step: every staged file is put in place and every extra file removed, or, when
/// one step fails, nothing at all changes and no temporary file or backup is left behind.
#[test]
fn committing_staged_files_is_all_or_nothing() {
    let place = tempfile::tempdir().expect("a temporary folder");
    let base = place.path();
    let prepare = || {
        let _ = fs::remove_dir_all(base.join("old"));
        fs::write(base.join("kept.txt"), "old contents").expect("writable");
        fs::create_dir_all(base.join("old")).expect("writable");
        fs::write(base.join("old/extra.txt"), "no spec makes me").expect("writable");
        for name in ["added.txt", "broken.txt"] {
            let _ = fs::remove_file(base.join(name));
        }
    };

    prepare();
    let before = tree(base);
    let replaced = safe_output::stage_inside(base, "kept.txt", b"new contents").expect("staged");
    let added = safe_output::stage_inside(base, "added.txt", b"added").expect("staged");
    let broken = safe_output::stage_inside(base, "broken.txt", b"never lands").expect("staged");
    fs::remove_file(broken.temporary_path()).expect("the staged file can be taken away");
    let error = safe_output::commit_all(vec![replaced, added, broken], base, &["old/extra.txt"])
        .expect_err("a step fails");
    assert!(
        format!("{error:#}").contains("nothing was changed"),
        "{error:#}"
    );
    assert_eq!(tree(base), before, "a failed commit changes nothing");

    prepare();
    let replaced = safe_output::stage_inside(base, "kept.txt", b"new contents").expect("staged");
    let added = safe_output::stage_inside(base, "added.txt", b"added").expect("staged");
    safe_output::commit_all(vec![replaced, added], base, &["old/extra.txt"]).expect("commits");
    let after = tree(base);
    let expected: BTreeMap<String, Vec<u8>> = [
        ("added.txt".to_owned(), b"added".to_vec()),
        ("kept.txt".to_owned(), b"new contents".to_vec()),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        after, expected,
        "replaced, added, removed with its empty folder, no leftovers"
    );
}
