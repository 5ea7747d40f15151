print('sitecustomize from the workspace')
