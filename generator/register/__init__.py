"""依申请公开登记簿: the office's private register of applications, their statutory clock, reply
letters and 表三 counts. Nothing here is published; only counts leave (``stats``)."""
