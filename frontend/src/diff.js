window.RcpDiff={}
