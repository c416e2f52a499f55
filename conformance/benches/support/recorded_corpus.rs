//! The benchmarks' recorded traffic, written deterministically under the system's temporary
//! folder (never in the repository) and reused while this generator's version and the size stay
//! the same: a size in MB in, a JSON Lines file (or a HAR 1.2 document) of LadiFlow
//! `customer.create` exchanges out, about 6 in 1,000 invalid (as in the measurement: 721 of
//! 115,424), 2 in 1,000 with unlisted fields, 1 in 1,000 unmatched (the HAR document: each kind
//! 1 in 100).

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use super::peak_memory::megabytes;

/// Bumped whenever the generator changes, so a stale file is not reused.
const GENERATOR_VERSION: u32 = 2;

const FAMILY_NAMES: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
const GIVEN_NAMES: [&str; 8] = [
    "Hương",
    "Minh Đức",
    "Thảo",
    "Quốc Anh",
    "Lan",
    "Tuấn",
    "Ngọc Ánh",
    "Hải",
];
const CITIES: [(&str, &str, &str); 4] = [
    ("Hà Nội", "Nam Từ Liêm", "Mỹ Đình 1"),
    ("Hồ Chí Minh", "Quận 1", "Bến Nghé"),
    ("Đà Nẵng", "Hải Châu", "Thạch Thang"),
    ("Cần Thơ", "Ninh Kiều", "An Hòa"),
];

/// A small deterministic generator (xorshift64*), so every run measures the same file.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// One response body; `variant` picks what is wrong with it, if anything.
fn customer_body(sequence: &mut Sequence, index: u64, variant: u64) -> String {
    let family = sequence.pick(&FAMILY_NAMES);
    let given = sequence.pick(&GIVEN_NAMES);
    let (city, district, ward) = sequence.pick(&CITIES);
    let id = format!("{:012x}{:012x}", sequence.next() >> 16, index);
    let year = 1960 + sequence.next() % 45;
    let month = 1 + sequence.next() % 12;
    let day = 1 + sequence.next() % 28;
    let score = sequence.next() % 1000;
    let dob_year = if variant == 1 {
        format!("\"{year}\"")
    } else {
        year.to_string()
    };
    let created_at = if variant == 2 {
        "2023-02-30T10:17:09.529Z".to_owned()
    } else {
        format!("2023-{month:02}-{day:02}T10:17:09.529Z")
    };
    let gender = match variant {
        3 => "khác",
        _ if index.is_multiple_of(2) => "male",
        _ => "female",
    };
    let extra = if variant == 6 || variant == 7 {
        format!(
            ",\"zalo_name\":\"{family} {given}\",\"ladipage_id\":{}",
            sequence.next()
        )
    } else {
        String::new()
    };
    let message = if variant == 8 {
        String::new()
    } else {
        ",\"message\":\"Thành công\"".to_owned()
    };
    let mut body = String::with_capacity(2200);
    let _ = write!(
        body,
        "{{\"data\":{{\"channels\":[\"API\"],\"tags\":[\"{id}\"],\"vouchers\":[],\"is_email_verified\":false,\
\"messenger_recurring_message_tokens\":[],\"messenger_recurring_topics\":[],\"fb_page_ids\":[],\"fb_uids\":[],\
\"zalo_oa_ids\":[],\"zalo_uids\":[],\"ladichat_uids\":[],\"ladichat_store_ids\":[],\"is_merge\":false,\
\"is_delete\":false,\"_id\":\"{id}\",\"email\":\"khach{index}@example.vn\",\"key\":\"khach{index}@example.vn-{id}\",\
\"custom_fields\":[],\"name\":\"{family} {given}\",\"first_name\":\"{given}\",\"last_name\":\"{family}\",\
\"gender\":\"{gender}\",\"dob\":\"{year}-{month:02}-{day:02}T00:00:00.000Z\",\"dob_year\":{dob_year},\
\"dob_month\":{month},\"dob_day\":{day},\"dob_month_day\":\"{month:02}{day:02}\",\"company\":\"Công ty {family}\",\
\"job_title\":\"Kỹ sư\",\"city\":\"{city}\",\"district\":\"{district}\",\"address\":\"{index} Nguyễn Cơ Thạch\",\
\"ward\":\"{ward}\",\"postal_code\":100000,\"website\":\"https://example.vn/{index}\",\"facebook_url\":\"\",\
\"twitter_url\":\"\",\"linkedIn_url\":\"\",\"alias\":\"khach{index}\",\"status\":\"SUBSCRIBER\",\
\"subscribed_at\":\"{created_at}\",\"external_customer_id\":\"{index}\",\"source\":\"API\",\
\"store_id\":\"5f9fa8a09b5c4d6ce6e3a77d\",\"owner_id\":\"5ebd77abdbd90818b28f8fce\",\
\"creator_id\":\"5ebd77abdbd90818b28f8fce\",\"avatar_color\":\"#0137D3\",\"score\":{score}.{index:020},\
\"fb_page_uids\":[],\"zalo_oa_uids\":[],\"ladichat_store_uids\":[],\"created_at\":\"{created_at}\",\
\"updated_at\":\"{created_at}\",\"isNewSubscriber\":true,\"external_data\":[{{\"name\":\"full_name\",\
\"value\":\"{family} {given}\"}},{{\"name\":\"lang\",\"value\":\"vi\"}},{{\"name\":\"is_delete\",\"value\":false}}]{extra}}}\
{message},\"code\":201}}"
    );
    body
}

/// One line: mostly valid responses; of every 1,000, six invalid (a string year, an impossible
/// date, an unlisted gender, a body cut short, a missing message… as the variants say), two with
/// unlisted fields, one server error and one unmatched.
fn exchange_line(sequence: &mut Sequence, index: u64) -> String {
    let variant = index % 1000;
    match variant {
        0 => format!(
            "{{\"method\":\"GET\",\"path\":\"/1.0/customer/list?page={index}\",\"status\":200,\"content_type\":\"application/json\",\"body\":{{\"data\":[]}}}}\n"
        ),
        4 => {
            let body = customer_body(sequence, index, 0);
            let half = (0..=body.len() / 2)
                .rev()
                .find(|position| body.is_char_boundary(*position))
                .unwrap_or(0);
            let cut = &body[..half];
            format!(
                "{{\"method\":\"POST\",\"path\":\"/1.0/customer/create\",\"status\":201,\"content_type\":\"application/json\",\"body_text\":{}}}\n",
                serde_json::Value::String(cut.to_owned())
            )
        }
        5 => "{\"method\":\"POST\",\"path\":\"/1.0/customer/create\",\"status\":500,\"content_type\":\"application/json\",\"body\":{\"message\":\"Lỗi máy chủ\",\"code\":500}}\n".to_owned(),
        _ => format!(
            "{{\"method\":\"POST\",\"url\":\"https://api.service.ladiflow.com/1.0/customer/create\",\"status\":201,\"content_type\":\"application/json; charset=utf-8\",\"headers\":{{\"Api-Key\":\"bench-secret\"}},\"body\":{}}}\n",
            customer_body(sequence, index, variant)
        ),
    }
}

/// Writes the recording unless a file of this generator version and size is there.
pub(crate) fn recording(megabytes_wanted: u64) -> std::io::Result<(PathBuf, u64)> {
    let path = std::env::temp_dir().join(format!(
        "conformance-bench-recorded-v{GENERATOR_VERSION}-{megabytes_wanted}mb.jsonl"
    ));
    if let Ok(metadata) = std::fs::metadata(&path)
        && metadata.len() >= megabytes_wanted * 1_000_000
    {
        return Ok((path, metadata.len()));
    }
    let started = Instant::now();
    let temporary = path.with_extension("partial");
    let mut writer = BufWriter::with_capacity(1 << 20, std::fs::File::create(&temporary)?);
    let mut sequence = Sequence(0x9E37_79B9_7F4A_7C15);
    let mut written = 0u64;
    let mut index = 1;
    while written < megabytes_wanted * 1_000_000 {
        let line = exchange_line(&mut sequence, index);
        writer.write_all(line.as_bytes())?;
        written += line.len() as u64;
        index += 1;
    }
    writer.flush()?;
    drop(writer);
    std::fs::rename(&temporary, &path)?;
    println!(
        "wrote {} ({}, {} lines) in {:.1} s",
        path.display(),
        megabytes(written as usize),
        index - 1,
        started.elapsed().as_secs_f64()
    );
    Ok((path, written))
}

/// The same kind of traffic as a HAR 1.2 document of `megabytes_wanted` MB: one entry per
/// exchange, the body as `content.text`, an `Api-Key` header beside it.
#[allow(
    dead_code,
    reason = "the recorded bench writes HAR too, the table bench only JSON Lines"
)]
pub(crate) fn har_recording(megabytes_wanted: u64) -> std::io::Result<(PathBuf, u64)> {
    let path = std::env::temp_dir().join(format!(
        "conformance-bench-recorded-v{GENERATOR_VERSION}-{megabytes_wanted}mb.har"
    ));
    if let Ok(metadata) = std::fs::metadata(&path)
        && metadata.len() >= megabytes_wanted * 1_000_000
    {
        return Ok((path, metadata.len()));
    }
    let temporary = path.with_extension("partial");
    let mut writer = BufWriter::with_capacity(1 << 20, std::fs::File::create(&temporary)?);
    writer.write_all(b"{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"bench\",\"version\":\"1\"},\"entries\":[\n")?;
    let mut sequence = Sequence(0x9E37_79B9_7F4A_7C15);
    let mut written = 0u64;
    let mut index = 1;
    while written < megabytes_wanted * 1_000_000 {
        let variant = index % 100;
        let (method, path_text, status, body) = match variant {
            0 => ("GET", "/1.0/customer/list", 200, "{\"data\":[]}".to_owned()),
            5 => (
                "POST",
                "/1.0/customer/create",
                500,
                "{\"message\":\"Lỗi máy chủ\",\"code\":500}".to_owned(),
            ),
            _ => (
                "POST",
                "/1.0/customer/create",
                201,
                customer_body(&mut sequence, index, variant),
            ),
        };
        let entry = format!(
            "{}{{\"startedDateTime\":\"2024-05-01T09:30:00.000+07:00\",\"time\":120,\"request\":{{\"method\":\"{method}\",\"url\":\"https://api.service.ladiflow.com{path_text}\",\"httpVersion\":\"HTTP/1.1\",\"headers\":[{{\"name\":\"Api-Key\",\"value\":\"bench-secret\"}}],\"queryString\":[],\"cookies\":[],\"headersSize\":-1,\"bodySize\":0}},\"response\":{{\"status\":{status},\"statusText\":\"\",\"httpVersion\":\"HTTP/1.1\",\"headers\":[],\"cookies\":[],\"content\":{{\"size\":{},\"mimeType\":\"application/json\",\"text\":{}}},\"redirectURL\":\"\",\"headersSize\":-1,\"bodySize\":-1}},\"cache\":{{}},\"timings\":{{\"send\":0,\"wait\":120,\"receive\":0}}}}\n",
            if index == 1 { "" } else { "," },
            body.len(),
            serde_json::Value::String(body.clone())
        );
        writer.write_all(entry.as_bytes())?;
        written += entry.len() as u64;
        index += 1;
    }
    writer.write_all(b"]}}\n")?;
    writer.flush()?;
    drop(writer);
    std::fs::rename(&temporary, &path)?;
    Ok((path, written))
}
