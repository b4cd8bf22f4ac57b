//! AWS plumbing: what a CloudFormation stack or resource status means — still working,
//! finished well, rolled back, or failed — decided here once for deploy, remove and the UI.

pub use aws_sdk_cloudformation::types::{ResourceStatus, StackStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    InProgress,
    /// Still working, undoing a change that failed.
    RollingBack,
    /// Finished as asked (`CREATE_COMPLETE`, `DELETE_SKIPPED`, ...).
    Complete,
    /// Finished by undoing the change (`ROLLBACK_COMPLETE`, `UPDATE_ROLLBACK_COMPLETE`).
    RolledBack,
    Failed,
    /// `REVIEW_IN_PROGRESS`: a stack made for a first change set nobody executed. Nothing runs,
    /// and nothing will until the change set is executed or the stack deleted.
    Reviewing,
}

impl Phase {
    /// CloudFormation names every status `<OPERATION>_<STATE>`; reading the state part keeps
    /// statuses newer than this SDK (which arrive as `Unknown`) classified too.
    fn of(status: &str) -> Phase {
        if status == "REVIEW_IN_PROGRESS" {
            Phase::Reviewing
        } else if status.ends_with("_IN_PROGRESS") && status.contains("ROLLBACK") {
            Phase::RollingBack
        } else if status.ends_with("_IN_PROGRESS") {
            Phase::InProgress
        } else if status.ends_with("_FAILED") {
            Phase::Failed
        } else if status.contains("ROLLBACK") {
            Phase::RolledBack
        } else {
            Phase::Complete
        }
    }

    pub(crate) fn of_stack(status: &StackStatus) -> Phase {
        Phase::of(status.as_str())
    }

    pub(crate) fn of_resource(status: &ResourceStatus) -> Phase {
        Phase::of(status.as_str())
    }

    /// CloudFormation is still working on it.
    pub(crate) fn working(self) -> bool {
        matches!(self, Phase::InProgress | Phase::RollingBack)
    }
}

/// Serializes an SDK status as CloudFormation spells it.
pub(crate) fn serialize<S: serde::Serializer, T: AsRef<str>>(status: &T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(status.as_ref())
}

pub(crate) fn serialize_opt<S: serde::Serializer, T: AsRef<str>>(status: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match status {
        Some(t) => s.serialize_str(t.as_ref()),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_read_by_their_state() {
        assert_eq!(Phase::of_stack(&StackStatus::UpdateCompleteCleanupInProgress), Phase::InProgress);
        assert_eq!(Phase::of_stack(&StackStatus::ReviewInProgress), Phase::Reviewing);
        assert!(!Phase::Reviewing.working(), "waiting for it would wait forever");
        assert_eq!(Phase::of_stack(&StackStatus::UpdateRollbackComplete), Phase::RolledBack);
        assert_eq!(Phase::of_stack(&StackStatus::UpdateRollbackInProgress), Phase::RollingBack);
        assert!(Phase::RollingBack.working() && !Phase::RolledBack.working());
        assert_eq!(Phase::of_stack(&StackStatus::RollbackFailed), Phase::Failed);
        assert_eq!(Phase::of_stack(&StackStatus::CreateComplete), Phase::Complete);
        assert_eq!(Phase::of_resource(&ResourceStatus::DeleteSkipped), Phase::Complete);
        assert_eq!(Phase::of_resource(&ResourceStatus::from("EXPORT_FAILED")), Phase::Failed);
    }
}
