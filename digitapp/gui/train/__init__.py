"""The Train tab: form, worker thread, live plots and the runs history."""
