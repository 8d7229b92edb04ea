//! Text measuring for [`super`] (kept apart to keep `dom.rs` short): length in
//! whitespace-normalised chars and commas, eight ASCII bytes at a time.

/// Text length as whitespace-normalised chars (one space per word gap) and comma count,
/// in one pass over the bytes.
#[cfg(test)]
pub(super) fn measure(text: &str) -> (u32, u32) {
    measure_after(text, true)
}

/// [`measure`] of `text` as a continuation of text that ended in whitespace (or nothing) or
/// not: `measure(a + b)` is `measure(a)` plus `measure_after(b, a ends in whitespace)`.
/// Eight bytes at a time while they are ASCII (most text), byte by byte otherwise.
pub(super) fn measure_after(text: &str, mut in_ws: bool) -> (u32, u32) {
    let b = text.as_bytes();
    let (mut len, mut commas) = (0u32, 0u32);
    let mut i = 0;
    while i + 8 <= b.len() {
        let x = u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        if x & HI == 0 {
            // One flag bit (bit 7) per byte: whitespace as `u8::is_ascii_whitespace` has it
            // (space, \t \n \x0C \r; not \x0B), and the words' first bytes after whitespace.
            let ws = eq(x, b' ') | (ge(x, 0x09) & !ge(x, 0x0E) & !eq(x, 0x0B));
            let non_ws = !ws & HI;
            let after_ws = (ws << 8) | if in_ws { 0x80 } else { 0 };
            len += non_ws.count_ones() + (non_ws & after_ws).count_ones();
            commas += eq(x, b',').count_ones();
            in_ws = ws >> 63 != 0;
        } else {
            for j in i..i + 8 {
                measure_byte(b, j, &mut in_ws, &mut len, &mut commas);
            }
        }
        i += 8;
    }
    for j in i..b.len() {
        measure_byte(b, j, &mut in_ws, &mut len, &mut commas);
    }
    (len, commas)
}

const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HI: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

/// Bit 7 of each byte of ASCII `x` set where that byte is `c` (ASCII).
fn eq(x: u64, c: u8) -> u64 {
    let y = x ^ (ONES * u64::from(c));
    !((y + LO7) | y) & HI
}

/// Bit 7 of each byte of ASCII `x` set where that byte is at least `c` (1..=0x80).
fn ge(x: u64, c: u8) -> u64 {
    (x + ONES * u64::from(0x80 - c)) & HI
}

/// One byte of [`measure_after`]: the char count and commas as of `b[i]`.
pub(super) fn measure_byte(b: &[u8], i: usize, in_ws: &mut bool, len: &mut u32, commas: &mut u32) {
    let c = b[i];
    if c.is_ascii_whitespace() {
        *in_ws = true;
    } else if c & 0xC0 != 0x80 {
        *len += 1 + u32::from(*in_ws);
        *in_ws = false;
        // ',' and the CJK and Arabic commas '，' (EF BC 8C), '、' (E3 80 81), '،' (D8 8C).
        *commas += u32::from(match c {
            b',' => true,
            0xEF => b.get(i + 1..i + 3) == Some(&[0xBC, 0x8C]),
            0xE3 => b.get(i + 1..i + 3) == Some(&[0x80, 0x81]),
            0xD8 => b.get(i + 1) == Some(&0x8C),
            _ => false,
        });
    }
}
