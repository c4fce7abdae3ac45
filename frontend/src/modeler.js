window.RcpModeler={}
