//! The journal's record reader on any file content: it never panics, reads
//! only whole records whose checksum holds, and what it reads encodes back
//! to the same bytes.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

#[path = "../../src/store/journal/record.rs"]
#[allow(dead_code)]
mod record;

fuzz_target!(|data: &[u8]| {
    // As a record body.
    if let Some(ops) = record::decode(data) {
        assert_eq!(record::encode(&ops), data, "decode then encode");
    }
    // As a whole journal file.
    let mut file = tempfile();
    file.write_all(data).unwrap();
    let (records, end) = record::scan(&file);
    assert!(end <= data.len().max(record::HEADER_LEN as usize) as u64);
    for r in &records {
        assert!(
            r.ops
                .iter()
                .all(|op| !op.name.split('/').any(|p| p.is_empty() || p == ".."))
        );
    }
    let _ = record::intact_after(&file, end);
});

/// An unnamed temporary file (gone when closed).
fn tempfile() -> std::fs::File {
    let dir = std::env::temp_dir();
    let path = dir.join(format!("nexus-fuzz-{}", std::process::id()));
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)
        .unwrap();
    let _ = std::fs::remove_file(&path);
    f
}
