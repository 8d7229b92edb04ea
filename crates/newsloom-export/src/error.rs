use newsloom_store::StoreError;

/// An export failure, with what was being done.
#[derive(Debug)]
pub struct ExportError(pub String);

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExportError {}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> Self {
        ExportError(e.0)
    }
}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> Self {
        ExportError(format!("i/o error: {e}"))
    }
}

impl From<::parquet::errors::ParquetError> for ExportError {
    fn from(e: ::parquet::errors::ParquetError) -> Self {
        ExportError(format!("parquet: {e}"))
    }
}

impl From<arrow_schema::ArrowError> for ExportError {
    fn from(e: arrow_schema::ArrowError) -> Self {
        ExportError(format!("arrow: {e}"))
    }
}

impl From<serde_json::Error> for ExportError {
    fn from(e: serde_json::Error) -> Self {
        ExportError(format!("json: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, ExportError>;
