//! vejviser-revision
