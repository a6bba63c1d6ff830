//! Work on the elements of a large array file, split across every core.

/// `f` applied to consecutive parts of `spans`, one part per core (only one
/// part when `parallel` is false or there is one core), results in order.
pub fn map_parts<T: Send>(
    spans: &[(usize, usize)],
    parallel: bool,
    f: impl Fn(&[(usize, usize)]) -> T + Sync,
) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if !parallel || threads < 2 || spans.len() < 2 {
        return vec![f(spans)];
    }
    let chunk = spans.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = spans
            .chunks(chunk)
            .map(|part| scope.spawn(move || f(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn parts_come_back_in_order() {
        let spans: Vec<(usize, usize)> = (0..1000).map(|i| (i, i + 1)).collect();
        for parallel in [false, true] {
            let parts = super::map_parts(&spans, parallel, |p| p.to_vec());
            assert_eq!(parts.concat(), spans);
        }
    }
}
