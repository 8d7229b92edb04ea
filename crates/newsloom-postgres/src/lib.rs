//! PostgreSQL as a second store engine beside the embedded SQLite store, for several writers
//! and servers sharing one database.
//!
//! [`testing`] starts throwaway servers for tests and benchmarks.

pub mod testing;
