//! Stream compression for the PDF writer: zlib (FlateDecode), the same for content
//! streams, fonts, object streams and the cross-reference stream.

/// zlib-compressed `data` (level 5: past it, files hardly shrink and time doubles).
///
/// One compressor per thread, reset between streams: a fresh one allocates and clears
/// some 300 KB of tables, which costs more than compressing a small stream.
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    thread_local! {
        static Z: std::cell::RefCell<Compress> =
            std::cell::RefCell::new(Compress::new(Compression::new(5), true));
    }
    Z.with(|z| {
        let mut z = z.borrow_mut();
        z.reset();
        let mut out = Vec::with_capacity(data.len() / 3 + 64);
        loop {
            let read = z.total_in() as usize;
            // Writing into a Vec cannot fail; it only needs room.
            let status = z
                .compress_vec(&data[read..], &mut out, FlushCompress::Finish)
                .expect("in-memory compression");
            if status == flate2::Status::StreamEnd {
                break;
            }
            out.reserve(out.capacity().max(64));
        }
        out
    })
}
