//! Tracing of commands: the trace context from the environment and the span
//! each state-changing command records.

pub mod otlp;
pub mod replay;
pub mod span;
pub mod trace;

pub use span::{Service, Span, SpanStatus};
pub use trace::TraceContext;
