//! Leases in PostgreSQL: at most one holder per name at a time, for a bounded time.
//!
//! The cluster stage has one active writer per partition (see docs/scale-out.md). Its workers
//! hold the writer lease here, in the store they write to, so the database that receives the
//! decisions is also the one that says who may make them.
//!
//! - Expiry is measured by the database's clock (`now()`), never the workers', so skewed clocks
//!   cannot make two holders.
//! - Taking an expired lease bumps its `term`. A renewal names the term it holds, so a holder
//!   that paused past expiry (and was replaced) learns it lost the lease at its next renewal
//!   instead of renewing someone else's.
//! - The lease only keeps writers from contending; what makes a stale writer harmless is the
//!   decision log's compare-and-set (a stale writer's append is refused).

use std::time::Duration;

use postgres::Client;

use crate::{connect, pg};
use newsloom_store::Result;

/// A held lease: the term that fences off earlier holders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaseTerm(pub i64);

/// A connection for taking and renewing leases.
pub struct PgLease {
    /// `None` only while dropping.
    client: Option<Client>,
    ttl: Duration,
}

impl PgLease {
    /// Connects and brings the schema up to date (the `leases` table is a migration).
    pub fn open(url: &str, ttl: Duration) -> Result<Self> {
        let mut client = connect(url)?;
        crate::schema::migrate(&mut client)?;
        Ok(Self { client: Some(client), ttl })
    }

    fn client(&mut self) -> &mut Client {
        self.client.as_mut().expect("open until dropped")
    }

    fn ttl_secs(&self) -> f64 {
        self.ttl.as_secs_f64()
    }

    /// Takes `name` for `holder` if nobody holds it (or its holder let it expire, or it is
    /// `holder`'s already). `None` while someone else holds it.
    pub fn try_acquire(&mut self, name: &str, holder: &str) -> Result<Option<LeaseTerm>> {
        let ttl = self.ttl_secs();
        let row = self
            .client()
            .query_opt(
                "INSERT INTO leases (name, holder, term, expires_at)
                 VALUES ($1, $2, 1, now() + make_interval(secs => $3))
                 ON CONFLICT (name) DO UPDATE
                   SET holder = EXCLUDED.holder, term = leases.term + 1, expires_at = EXCLUDED.expires_at
                   WHERE leases.expires_at < now() OR leases.holder = EXCLUDED.holder
                 RETURNING term",
                &[&name, &holder, &ttl],
            )
            .map_err(pg)?;
        Ok(row.map(|r| LeaseTerm(r.get(0))))
    }

    /// Extends a held lease; `false` if it is no longer ours (it expired and someone took it).
    pub fn renew(&mut self, name: &str, holder: &str, term: LeaseTerm) -> Result<bool> {
        let ttl = self.ttl_secs();
        let n = self
            .client()
            .execute(
                "UPDATE leases SET expires_at = now() + make_interval(secs => $4)
                 WHERE name = $1 AND holder = $2 AND term = $3 AND expires_at >= now()",
                &[&name, &holder, &term.0, &ttl],
            )
            .map_err(pg)?;
        Ok(n == 1)
    }

    /// Gives a held lease up at once, so a successor need not wait for it to expire.
    pub fn release(&mut self, name: &str, holder: &str, term: LeaseTerm) -> Result<()> {
        self.client()
            .execute(
                "UPDATE leases SET expires_at = now() - interval '1 second'
                 WHERE name = $1 AND holder = $2 AND term = $3",
                &[&name, &holder, &term.0],
            )
            .map_err(pg)?;
        Ok(())
    }

    /// Who holds `name` now, with their term and seconds left (`None` if nobody does).
    pub fn holder(&mut self, name: &str) -> Result<Option<(String, LeaseTerm, f64)>> {
        let row = self
            .client()
            .query_opt(
                "SELECT holder, term, EXTRACT(EPOCH FROM expires_at - now())::float8 FROM leases
                 WHERE name = $1 AND expires_at >= now()",
                &[&name],
            )
            .map_err(pg)?;
        Ok(row.map(|r| (r.get(0), LeaseTerm(r.get(1)), r.get(2))))
    }
}

impl Drop for PgLease {
    fn drop(&mut self) {
        // The sync client may not close its connection on an async thread (see lib.rs).
        crate::drop_off_runtime(self.client.take());
    }
}
