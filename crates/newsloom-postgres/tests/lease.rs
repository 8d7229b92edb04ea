//! The writer lease in PostgreSQL: one holder at a time, expiry by the database's clock, and
//! terms that fence off a holder that lost it.

use std::time::Duration;

use newsloom_postgres::PgLease;
use newsloom_postgres::testing::{require, unique_db_name};

#[test]
fn one_holder_at_a_time_and_expiry_hands_over_with_a_new_term() {
    let Some(pg) = require() else { return };
    let url = pg.create_database(&unique_db_name("lease")).unwrap();
    let ttl = Duration::from_millis(1500);
    let mut a = PgLease::open(&url, ttl).unwrap();
    let mut b = PgLease::open(&url, ttl).unwrap();

    let term_a = a.try_acquire("cluster", "a").unwrap().expect("free lease is taken");
    assert_eq!(b.try_acquire("cluster", "b").unwrap(), None, "held: b must wait");
    // Other names are independent partitions.
    assert!(b.try_acquire("cluster-2", "b").unwrap().is_some());
    assert!(a.renew("cluster", "a", term_a).unwrap());
    assert_eq!(b.holder("cluster").unwrap().map(|h| h.0), Some("a".to_string()));
    assert!(!b.renew("cluster", "b", term_a).unwrap(), "b cannot renew a's lease");

    // a stops renewing (paused or dead): after the ttl, b takes it with a higher term.
    std::thread::sleep(ttl + Duration::from_millis(300));
    assert_eq!(b.holder("cluster").unwrap(), None, "expired");
    let term_b = b.try_acquire("cluster", "b").unwrap().expect("expired lease is taken");
    assert!(term_b.0 > term_a.0, "a new holder gets a new term");
    // a wakes up: its renewal fails, so it knows to step down.
    assert!(!a.renew("cluster", "a", term_a).unwrap());
    assert_eq!(a.try_acquire("cluster", "a").unwrap(), None);

    // Released at once on a clean stop: no waiting for expiry.
    b.release("cluster", "b", term_b).unwrap();
    let term_a2 = a.try_acquire("cluster", "a").unwrap().expect("released lease is free");
    assert!(term_a2.0 > term_b.0);
}

#[test]
fn concurrent_takers_get_it_once() {
    let Some(pg) = require() else { return };
    let url = pg.create_database(&unique_db_name("lease_race")).unwrap();
    let winners: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let url = url.clone();
                s.spawn(move || {
                    let mut l = PgLease::open(&url, Duration::from_secs(30)).unwrap();
                    l.try_acquire("cluster", &format!("w{i}")).unwrap().is_some() as usize
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(winners, 1);
}
