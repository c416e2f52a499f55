//! `cargo xtask import`: a saved docs page (or `--url`) in, a spec draft out under
//! `spec/<service>/`: `<endpoint>.yaml`, the page's examples under `examples/` byte for byte,
//! and the page under `pages/`; prints what it wrote and what a person must decide. With
//! `--check`, re-reads every spec's saved page (or `--page FILE`) and reports drift.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
#[cfg(feature = "fetch")]
use std::time::Duration;

use anyhow::{Context, Result, bail};
use codegen::import::{self, DraftFeatures, ImportOptions, PageFormat};
use codegen::load::SPEC_ROOT;

use crate::spec_dir::read_spec_sources;

/// Largest page read from a file or fetched.
pub(crate) const MAX_PAGE_BYTES: u64 = import::MAX_PAGE_BYTES as u64;
/// How long a `--url` fetch may take, all in all.
#[cfg(feature = "fetch")]
pub(crate) const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// Options.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The saved page: markdown, HTML or text copied from a browser.
    #[arg(value_name = "PAGE", conflicts_with_all = ["url", "check"])]
    page: Option<PathBuf>,
    /// Fetch the page from this address instead (HTTP GET, at most 8 MiB in 30 s, no
    /// credentials, no cookies) and keep the address as the spec's `source.url`.
    #[arg(long, value_name = "URL", conflicts_with = "check")]
    url: Option<String>,
    /// The service folder under spec/ (it must have its service.yaml).
    #[arg(long)]
    service: Option<String>,
    /// The endpoint id: dot-separated lower-case words (`leads.create`).
    #[arg(long)]
    endpoint: Option<String>,
    /// The page's shape; detected when not given.
    #[arg(long, value_parser = ["markdown", "html", "rendered"])]
    page_format: Option<String>,
    /// Overwrite an existing spec, its examples and its saved page (only those files).
    #[arg(long)]
    force: bool,
    /// Write nothing: re-read every spec's saved page and report what the page states that the
    /// spec does not; exit 1 on drift.
    #[arg(long)]
    check: bool,
    /// With --check: check this freshly saved copy of a page against its spec (the spec whose
    /// saved page has the same file name, or --service/--endpoint).
    #[arg(long = "page", value_name = "FILE", requires = "check")]
    check_page: Option<PathBuf>,
}

impl Args {
    /// Whether the page is to be fetched (`--url`) rather than read from a file.
    #[cfg_attr(
        all(feature = "checker", feature = "fetch"),
        allow(dead_code, reason = "the generator-only build asks")
    )]
    pub(crate) fn fetches_a_page(&self) -> bool {
        self.url.is_some()
    }
}

/// Runs `import`.
pub(crate) fn run(root: &Path, args: Args) -> Result<u8> {
    let format = args.page_format.as_deref().and_then(PageFormat::from_name);
    if args.check {
        return check(root, &args, format);
    }
    let (Some(service), Some(endpoint)) = (args.service.as_deref(), args.endpoint.as_deref())
    else {
        bail!("import needs --service SERVICE and --endpoint ID (or --check)");
    };
    if !is_service_id(service) {
        bail!("service id `{service}` is not lower-case ASCII letters, digits and `_`");
    }
    let service_dir = root.join(SPEC_ROOT).join(service);
    if !service_dir.join("service.yaml").is_file() {
        bail!(
            "{SPEC_ROOT}/{service}/service.yaml does not exist: write the service first (spec/README.md, `service.yaml`)"
        );
    }
    let (page_bytes, page_name, url) = match (&args.page, &args.url) {
        (Some(page), None) => {
            let bytes = read_bounded(page)?;
            let name = page
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .context("the page path names no file")?;
            (bytes, Some(name), None)
        }
        #[cfg(feature = "fetch")]
        (None, Some(url)) => (fetch(url)?, None, Some(url.clone())),
        #[cfg(not(feature = "fetch"))]
        (None, Some(_)) => bail!("this build cannot fetch: run it through `cargo xtask import`"),
        _ => bail!("import needs a PAGE file or --url URL"),
    };
    let text = String::from_utf8(page_bytes).map_err(|error| {
        anyhow::anyhow!(
            "the page is not UTF-8 text (byte {})",
            error.utf8_error().valid_up_to()
        )
    })?;
    let detected = format.unwrap_or_else(|| import::detect::detect(&text));
    let page_name = page_name.unwrap_or_else(|| {
        let extension = match detected {
            PageFormat::Markdown => "md",
            PageFormat::Html => "html",
            PageFormat::Rendered => "txt",
        };
        format!("{endpoint}.{extension}")
    });
    if page_name.contains(['/', '\\']) || page_name.starts_with('.') {
        bail!("the page's file name `{page_name}` cannot be kept under pages/");
    }
    let mut options = ImportOptions {
        endpoint_id: endpoint.to_owned(),
        page_path: format!("pages/{page_name}"),
        url,
        format: Some(detected),
        features: DraftFeatures::default(),
    };
    let mut output = import::import(&text, &options)?;

    // The files, relative to the service folder, and whether each already exists.
    let mut writes: Vec<(PathBuf, Vec<u8>)> = vec![(
        PathBuf::from(format!("{endpoint}.yaml")),
        output.draft.clone().into_bytes(),
    )];
    for example in &output.examples {
        writes.push((
            Path::new("examples").join(&example.file_name),
            example.bytes.clone(),
        ));
    }
    writes.push((
        Path::new("pages").join(&page_name),
        text.clone().into_bytes(),
    ));

    // The draft must load beside the other specs; a loader that does not know the newer keys
    // gets them as `# draft:` lines instead.
    let mut sources = read_spec_sources(root)?;
    let stage = |sources: &mut codegen::SpecSources, writes: &[(PathBuf, Vec<u8>)]| {
        for (path, bytes) in writes {
            let key = format!("{SPEC_ROOT}/{service}/{}", slash_path(path));
            sources.insert(key, bytes.clone());
        }
    };
    stage(&mut sources, &writes);
    let mut loads = codegen::load_model(&sources);
    if loads.is_err() && options.features.spec_format_additions {
        options.features.spec_format_additions = false;
        let fallback = import::import(&text, &options)?;
        let mut retry = sources.clone();
        writes[0].1 = fallback.draft.clone().into_bytes();
        stage(&mut retry, &writes);
        let retried = codegen::load_model(&retry);
        if retried.is_ok() {
            eprintln!(
                "note: this loader does not know `default`, `effect`, `media_type`, `headers`: the draft gives them as `# draft:` lines"
            );
            output = fallback;
        }
        loads = retried;
    }

    let existing: Vec<String> = writes
        .iter()
        .filter(|(path, bytes)| {
            let full = service_dir.join(path);
            full.exists() && fs::read(&full).map(|old| &old != bytes).unwrap_or(true)
        })
        .map(|(path, _)| format!("{SPEC_ROOT}/{service}/{}", slash_path(path)))
        .collect();
    let spec_exists = service_dir.join(format!("{endpoint}.yaml")).exists();
    if (spec_exists || !existing.is_empty()) && !args.force {
        let mut message = format!("{SPEC_ROOT}/{service}/{endpoint}.yaml");
        if !spec_exists {
            message = existing.join(", ");
        }
        bail!(
            "{message} already exists: nothing written (--force overwrites the spec, its examples and its page)"
        );
    }
    for (path, bytes) in &writes {
        write_inside(&service_dir, path, bytes)?;
        println!("wrote {SPEC_ROOT}/{service}/{}", slash_path(path));
    }
    println!();
    println!("read as a {} page", output.format.as_str());
    if output.summary.is_empty() {
        println!("nothing to decide: review the draft's `# draft:` lines");
    } else {
        println!("to decide ({}):", output.summary.len());
        for line in &output.summary {
            println!("  - {line}");
        }
    }
    match loads {
        Ok(_) => {
            println!("the draft loads; next: review it, then `cargo xtask gen`");
            Ok(0)
        }
        Err(errors) => {
            eprint!("{}", errors.render());
            eprintln!("error: the draft does not load yet: {errors}");
            Ok(1)
        }
    }
}

/// `--check`: every spec's saved page (or `--page FILE`) against the spec.
fn check(root: &Path, args: &Args, format: Option<PageFormat>) -> Result<u8> {
    let sources = read_spec_sources(root)?;
    let (loaded, diagnostics) = codegen::load::load(&sources);
    if !diagnostics.is_empty() {
        let errors = codegen::SpecErrors::new(diagnostics);
        eprint!("{}", errors.render());
        eprintln!("error: {errors}");
        return Ok(2);
    }
    let fresh = match &args.check_page {
        Some(path) => Some((
            path.clone(),
            String::from_utf8(read_bounded(path)?).context("the page is not UTF-8 text")?,
        )),
        None => None,
    };
    let mut checked = 0;
    let mut drifted = 0;
    for service in &loaded.services {
        for endpoint in &service.endpoints {
            let spec = &endpoint.spec;
            let page_path = format!("{}/{}", service.folder, spec.source.page.value);
            if let Some(wanted) = &args.service
                && service.folder != format!("{SPEC_ROOT}/{wanted}")
            {
                continue;
            }
            if let Some(wanted) = &args.endpoint
                && spec.id.value != *wanted
            {
                continue;
            }
            let text = match &fresh {
                Some((path, text)) => {
                    let same_name = path
                        .file_name()
                        .map(|name| name.to_string_lossy().into_owned())
                        == Path::new(&page_path)
                            .file_name()
                            .map(|name| name.to_string_lossy().into_owned());
                    if !same_name && (args.service.is_none() || args.endpoint.is_none()) {
                        continue;
                    }
                    text.clone()
                }
                None => match sources.get(&page_path) {
                    Some(bytes) => String::from_utf8_lossy(bytes).into_owned(),
                    None => {
                        println!("{}: its saved page {page_path} is missing", endpoint.path);
                        drifted += 1;
                        continue;
                    }
                },
            };
            checked += 1;
            let reading = match import::read_page(&text, format) {
                Ok((_, reading)) => reading,
                Err(error) => {
                    println!("{}: {page_path}: {error}", endpoint.path);
                    drifted += 1;
                    continue;
                }
            };
            let example_bytes = |file: &str| {
                sources
                    .get(&format!("{}/{file}", service.folder))
                    .map(<[u8]>::to_vec)
            };
            let drift = import::drift::compare(spec, &reading, &example_bytes);
            if !drift.is_empty() {
                drifted += 1;
            }
            for item in drift.iter().take(200) {
                println!("{}: {}: {}", endpoint.path, item.location, item.message);
            }
        }
    }
    if checked == 0 {
        bail!(match &args.check_page {
            Some(path) => format!(
                "no spec's saved page is named like {}: give --service and --endpoint",
                path.display()
            ),
            None => "no spec to check".to_owned(),
        });
    }
    if drifted > 0 {
        eprintln!("error: {drifted} of {checked} specs drift from their pages");
        Ok(1)
    } else {
        eprintln!("{checked} specs agree with their pages");
        Ok(0)
    }
}

/// Reads a file of at most `MAX_PAGE_BYTES`.
fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    let file = fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_PAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        bail!("{} is larger than {MAX_PAGE_BYTES} bytes", path.display());
    }
    Ok(bytes)
}

/// Fetches `url` with a GET: no credentials, cookies or proxies; at most `MAX_PAGE_BYTES` in
/// `FETCH_TIMEOUT`.
#[cfg(feature = "fetch")]
pub(crate) fn fetch(url: &str) -> Result<Vec<u8>> {
    fetch_bounded(url, MAX_PAGE_BYTES, FETCH_TIMEOUT)
}

/// `fetch` with its bounds given.
#[cfg(feature = "fetch")]
fn fetch_bounded(url: &str, limit: u64, timeout: Duration) -> Result<Vec<u8>> {
    let Some((scheme, rest)) = url.split_once("://") else {
        bail!("--url `{url}` is not an http:// or https:// address");
    };
    if scheme != "http" && scheme != "https" {
        bail!("--url `{url}` is not an http:// or https:// address");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        bail!("--url must not carry credentials (user@host)");
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(5)
        .proxy(None)
        .user_agent(concat!("xtask-import/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .call()
        .map_err(|error| anyhow::anyhow!("fetching {url}: {error}"))?;
    let status = response.status();
    if !status.is_success() {
        bail!("fetching {url}: the server answered {status}");
    }
    let bytes = response
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|error| match error {
            ureq::Error::BodyExceedsLimit(_) => {
                anyhow::anyhow!("fetching {url}: the page is larger than {limit} bytes")
            }
            error => anyhow::anyhow!("fetching {url}: {error}"),
        })?;
    Ok(bytes)
}

/// Writes `bytes` to `dir/relative`, refusing to go through a link.
fn write_inside(dir: &Path, relative: &Path, bytes: &[u8]) -> Result<()> {
    let path = dir.join(relative);
    let mut check = dir.to_path_buf();
    for component in relative.components() {
        check.push(component);
        if fs::symlink_metadata(&check).is_ok_and(|meta| meta.file_type().is_symlink()) {
            bail!("{} is a link: nothing written through it", check.display());
        }
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn is_service_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    #[cfg(feature = "fetch")]
    use std::io::Write as _;
    #[cfg(feature = "fetch")]
    use std::net::TcpListener;
    #[cfg(feature = "fetch")]
    use std::thread;

    use super::*;
    use crate::spec_dir::{relative, walk};

    /// A copy of the project's `spec/` in a temporary folder.
    fn spec_copy() -> tempfile::TempDir {
        let copy = tempfile::tempdir().expect("a temporary folder");
        let root = crate::project_root::for_tests();
        for file in walk(&root.join(SPEC_ROOT)).expect("readable") {
            let target = copy.path().join(relative(&root, &file));
            fs::create_dir_all(target.parent().expect("a parent")).expect("writable");
            fs::copy(&file, &target).expect("copied");
        }
        copy
    }

    fn fixture_page(case: &str, file: &str) -> PathBuf {
        crate::project_root::for_tests()
            .join("codegen/tests/fixtures/import/pages")
            .join(case)
            .join(file)
    }

    fn args(page: Option<PathBuf>, service: &str, endpoint: &str) -> Args {
        Args {
            page,
            url: None,
            service: Some(service.to_owned()),
            endpoint: Some(endpoint.to_owned()),
            page_format: None,
            force: false,
            check: false,
            check_page: None,
        }
    }

    fn check_args(check_page: Option<PathBuf>) -> Args {
        Args {
            page: None,
            url: None,
            service: None,
            endpoint: None,
            page_format: None,
            force: false,
            check: true,
            check_page,
        }
    }

    /// Serves `body` to one GET on 127.0.0.1 (an ephemeral port); the thread gives back the
    /// request's head.
    #[cfg(feature = "fetch")]
    fn serve_once(body: Vec<u8>) -> (u16, thread::JoinHandle<String>) {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("a local port");
        let port = listener.local_addr().expect("bound").port();
        let handle = thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("one connection");
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/markdown; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
            let _ = stream.write_all(&body);
            String::from_utf8_lossy(&head).into_owned()
        });
        (port, handle)
    }

    #[test]
    fn import_writes_the_draft_its_examples_and_the_page_and_never_overwrites_without_force() {
        let copy = spec_copy();
        let root = copy.path();
        let page = fixture_page("en_markdown_pipe", "page.md");
        assert_eq!(
            run(root, args(Some(page.clone()), "crm", "invoices.update")).expect("imports"),
            0
        );
        let service = root.join("spec/crm");
        let draft = fs::read_to_string(service.join("invoices.update.yaml")).expect("the draft");
        assert!(
            draft.contains("path: \"/v3/invoices/{invoice_id}\""),
            "{draft}"
        );
        assert!(draft.contains("page: pages/page.md"), "{draft}");
        let page_text = fs::read_to_string(&page).expect("readable");
        let request = fs::read_to_string(service.join("examples/invoices.update.request.json"))
            .expect("request example");
        assert!(
            page_text.contains(&request),
            "the example is the page's bytes"
        );
        assert_eq!(
            fs::read(service.join("pages/page.md")).expect("saved page"),
            page_text.as_bytes()
        );

        // A second import refuses, and changes nothing.
        fs::write(service.join("invoices.update.yaml"), "edited by a person").expect("writable");
        let error =
            run(root, args(Some(page.clone()), "crm", "invoices.update")).expect_err("refused");
        assert!(error.to_string().contains("already exists"), "{error}");
        assert_eq!(
            fs::read_to_string(service.join("invoices.update.yaml")).expect("kept"),
            "edited by a person"
        );

        let mut forced = args(Some(page), "crm", "invoices.update");
        forced.force = true;
        assert_eq!(run(root, forced).expect("imports"), 0);
        assert_eq!(
            fs::read_to_string(service.join("invoices.update.yaml")).expect("rewritten"),
            draft
        );
    }

    #[test]
    fn import_refuses_an_unknown_service_and_a_bad_endpoint_id() {
        let copy = spec_copy();
        let page = fixture_page("en_markdown_pipe", "page.md");
        let error = run(
            copy.path(),
            args(Some(page.clone()), "billing", "invoices.update"),
        )
        .expect_err("no service");
        assert!(
            error
                .to_string()
                .contains("spec/billing/service.yaml does not exist"),
            "{error}"
        );
        let error =
            run(copy.path(), args(Some(page), "crm", "Invoices Update")).expect_err("bad id");
        assert!(
            error.to_string().contains("dot-separated lower-case words"),
            "{error}"
        );
        assert!(
            !copy.path().join("spec/crm/pages/page.md").exists(),
            "nothing written"
        );
    }

    #[cfg(feature = "fetch")]
    #[test]
    fn import_url_fetches_the_page_from_a_local_server_and_keeps_its_address() {
        let copy = spec_copy();
        let root = copy.path();
        let page = fs::read(fixture_page("vi_gitbook_html", "page.md")).expect("readable");
        let (port, server) = serve_once(page.clone());
        let url = format!("http://127.0.0.1:{port}/docs/orders-search");
        let mut fetch_args = args(None, "ladiflow", "orders.search");
        fetch_args.url = Some(url.clone());
        assert_eq!(run(root, fetch_args).expect("imports"), 0);
        let head = server.join().expect("served").to_ascii_lowercase();
        assert!(
            head.starts_with("get /docs/orders-search http/1.1"),
            "{head}"
        );
        for header in ["cookie:", "authorization:", "proxy-authorization:"] {
            assert!(!head.contains(header), "the fetch sent {header}: {head}");
        }
        let service = root.join("spec/ladiflow");
        assert_eq!(
            fs::read(service.join("pages/orders.search.md")).expect("saved"),
            page
        );
        let draft = fs::read_to_string(service.join("orders.search.yaml")).expect("the draft");
        assert!(draft.contains(&format!("url: \"{url}\"")), "{draft}");
    }

    #[cfg(feature = "fetch")]
    #[test]
    fn fetch_is_bounded_and_carries_no_credentials() {
        let error = fetch("http://user:secret@127.0.0.1:1/page").expect_err("refused");
        assert!(
            error.to_string().contains("must not carry credentials"),
            "{error}"
        );
        assert!(!format!("{error:#}").contains("secret"));
        let error = fetch("ftp://127.0.0.1/page").expect_err("refused");
        assert!(error.to_string().contains("http://"), "{error}");
        let (port, server) = serve_once(vec![b'x'; 4096]);
        let error = fetch_bounded(&format!("http://127.0.0.1:{port}/big"), 1024, FETCH_TIMEOUT)
            .expect_err("too large");
        assert!(
            error.to_string().contains("larger than 1024 bytes"),
            "{error}"
        );
        let _ = server.join();
    }

    #[test]
    fn check_is_clean_on_the_specs_and_reports_an_edited_page() {
        assert_eq!(
            run(&crate::project_root::for_tests(), check_args(None)).expect("checks"),
            0
        );

        let copy = spec_copy();
        let root = copy.path();
        let saved = root.join("spec/crm/pages/003_fccfe6ed470fdee1.txt");
        let text = fs::read_to_string(&saved).expect("readable");
        let edited = text.replacen("| subject ", "| subjects", 1);
        assert_ne!(edited, text, "the edit applies");

        // A fresh copy named like the saved page, checked with --page.
        let fresh_dir = tempfile::tempdir().expect("a temporary folder");
        let fresh = fresh_dir.path().join("003_fccfe6ed470fdee1.txt");
        fs::write(&fresh, &edited).expect("writable");
        assert_eq!(run(root, check_args(Some(fresh))).expect("checks"), 1);

        // The saved page itself edited.
        fs::write(&saved, &edited).expect("writable");
        assert_eq!(run(root, check_args(None)).expect("checks"), 1);
    }
}
